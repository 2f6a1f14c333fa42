//! The set of configurations an exploration has seen, each with its index (the order it was first
//! seen in).
//!
//! A configuration comes in as bytes: fixed-width fields, each an offset from its smallest value,
//! big-endian (see `machine.rs`). Its packed form cuts each field down to the bits its values need
//! and puts them one after the other, the first field in the highest bits ([`Packing`]): then
//! comparing two packed instances, or two packed subtrees, as numbers orders them as comparing
//! their bytes does, so both forms sort identical children the same way.
//!
//! Most worlds fit in 96 bits packed (a pool of 6 workers with 6 states and a counter 0..3 takes
//! 31); those are stored as one number beside their index in an open-addressing table, so finding
//! one is one probe into one cache line, with no second look elsewhere to compare. Wider
//! configurations keep their bytes in an arena, found through a hash table of indices.

use std::hash::Hasher;
use std::ops::Range;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

/// A field of the byte form: where it is, how many bytes, how many values it holds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldLayout {
    pub offset: u32,
    pub width: u8,
    pub count: u64,
}

/// A slot of the open-addressing table: a packed configuration in its low bits, its index in
/// the high 32, or [`Slot::EMPTY`] (all ones: an index no configuration has, as indices stay
/// below `u32::MAX`). Configurations of up to 32 bits take 8 bytes a slot and 4 in the list in
/// index order; up to 96, 16 and 16.
trait Slot: Copy + Eq {
    const KEY_BITS: u32;
    /// A packed configuration as the list in index order keeps it.
    type Key: Copy + Into<u128>;
    fn short(key: u128) -> Self::Key;
    const EMPTY: Self;
    fn new(key: u128, index: u32) -> Self;
    fn key(self) -> u128;
    fn index(self) -> u32;
}

impl Slot for u64 {
    const KEY_BITS: u32 = 32;
    type Key = u32;
    fn short(key: u128) -> u32 {
        key as u32
    }
    const EMPTY: u64 = u64::MAX;
    fn new(key: u128, index: u32) -> u64 {
        key as u64 | u64::from(index) << 32
    }
    fn key(self) -> u128 {
        u128::from(self & 0xffff_ffff)
    }
    fn index(self) -> u32 {
        (self >> 32) as u32
    }
}

impl Slot for u128 {
    const KEY_BITS: u32 = 96;
    type Key = u128;
    fn short(key: u128) -> u128 {
        key
    }
    const EMPTY: u128 = u128::MAX;
    fn new(key: u128, index: u32) -> u128 {
        key | u128::from(index) << 96
    }
    fn key(self) -> u128 {
        self & mask(96)
    }
    fn index(self) -> u32 {
        (self >> 96) as u32
    }
}

/// Packed configurations in index order, and the open-addressing table (linear probing, at
/// most half full) that finds them.
struct Table<S: Slot> {
    keys: Vec<S::Key>,
    slots: Vec<S>,
}

impl<S: Slot> Table<S> {
    fn new() -> Table<S> {
        Table {
            keys: Vec::new(),
            slots: vec![S::EMPTY; 64],
        }
    }

    fn bytes(&self) -> usize {
        std::mem::size_of::<S::Key>() * self.keys.len()
            + std::mem::size_of::<S>() * self.slots.len()
    }

    fn prefetch(&self, hash: u64) {
        prefetch(&self.slots[hash as usize & (self.slots.len() - 1)]);
    }

    /// The index of the configuration `probe` looks for, or the empty slot where it would go.
    fn locate(&self, probe: Probe) -> Result<u32, usize> {
        let wrap = self.slots.len() - 1;
        let mut at = probe.hash as usize & wrap;
        loop {
            let slot = self.slots[at];
            if slot == S::EMPTY {
                return Err(at);
            }
            if slot.key() == probe.key {
                return Ok(slot.index());
            }
            at = (at + 1) & wrap;
        }
    }

    fn insert(&mut self, probe: Probe) -> (u32, bool) {
        let at = match self.locate(probe) {
            Ok(index) => return (index, false),
            Err(at) => at,
        };
        let index = u32::try_from(self.keys.len()).unwrap_or(u32::MAX - 1);
        self.slots[at] = S::new(probe.key, index);
        self.keys.push(S::short(probe.key));
        if self.keys.len() * 2 > self.slots.len() {
            self.grow();
        }
        (index, true)
    }

    /// Doubles the table, placing every slot again.
    fn grow(&mut self) {
        let doubled = vec![S::EMPTY; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let wrap = self.slots.len() - 1;
        for slot in old.into_iter().filter(|&s| s != S::EMPTY) {
            let mut at = mix(slot.key()) as usize & wrap;
            while self.slots[at] != S::EMPTY {
                at = (at + 1) & wrap;
            }
            self.slots[at] = slot;
        }
    }
}

/// Where each field goes in the packed form.
#[derive(Debug)]
pub(crate) struct Packing {
    fields: Vec<Packed>,
    bits: u32,
}

#[derive(Clone, Copy, Debug)]
struct Packed {
    offset: u32,
    width: u8,
    bits: u32,
    /// Its lowest bit in the whole configuration packed (the first field is highest).
    low: u32,
}

impl Packing {
    pub(crate) fn new(layout: &[FieldLayout]) -> Packing {
        let bits_of = |f: &FieldLayout| 64 - f.count.saturating_sub(1).leading_zeros();
        let total = layout
            .iter()
            .fold(0u32, |sum, f| sum.saturating_add(bits_of(f)));
        let mut high = total;
        let fields = layout
            .iter()
            .map(|f| {
                let bits = bits_of(f);
                high -= bits;
                Packed {
                    offset: f.offset,
                    width: f.width,
                    bits,
                    low: high,
                }
            })
            .collect();
        Packing {
            fields,
            bits: total,
        }
    }

    /// The lowest bit and the number of bits of fields `range` (consecutive) packed.
    pub(crate) fn bits_of(&self, range: Range<usize>) -> (u32, u32) {
        let fields = &self.fields[range];
        let low = fields.last().map_or(0, |f| f.low);
        (low, fields.iter().map(|f| f.bits).sum())
    }

    /// Fields `range` of `bytes` packed on their own (the first field highest).
    pub(crate) fn pack_range(&self, bytes: &[u8], range: Range<usize>) -> u128 {
        self.fields[range].iter().fold(0u128, |key, f| {
            key << f.bits | u128::from(read_field(bytes, f.offset, f.width))
        })
    }

    /// Writes fields `range`, packed on their own in `code`, into `out`.
    pub(crate) fn unpack_range(&self, code: u128, range: Range<usize>, out: &mut [u8]) {
        let mut rest = code;
        for f in self.fields[range].iter().rev() {
            write_field(out, f.offset, f.width, (rest & mask(f.bits)) as u64);
            rest >>= f.bits;
        }
    }

    pub(crate) fn pack(&self, bytes: &[u8]) -> u128 {
        self.pack_range(bytes, 0..self.fields.len())
    }

    fn unpack(&self, key: u128, out: &mut [u8]) {
        out.fill(0);
        self.unpack_range(key, 0..self.fields.len(), out);
    }
}

/// The lowest `bits` bits set.
pub(crate) fn mask(bits: u32) -> u128 {
    if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}

/// A field's raw value (offset from its smallest value), stored big-endian in `width` bytes.
pub(crate) fn read_field(bytes: &[u8], offset: u32, width: u8) -> u64 {
    let at = offset as usize;
    match width {
        1 => u64::from(bytes[at]),
        2 => u64::from(u16::from_be_bytes([bytes[at], bytes[at + 1]])),
        _ => u64::from(u32::from_be_bytes([
            bytes[at],
            bytes[at + 1],
            bytes[at + 2],
            bytes[at + 3],
        ])),
    }
}

/// Stores a raw value that fits `width` bytes.
pub(crate) fn write_field(bytes: &mut [u8], offset: u32, width: u8, value: u64) {
    let at = offset as usize;
    match width {
        1 => bytes[at] = value as u8,
        2 => bytes[at..at + 2].copy_from_slice(&(value as u16).to_be_bytes()),
        _ => bytes[at..at + 4].copy_from_slice(&(value as u32).to_be_bytes()),
    }
}

pub(crate) struct Store {
    width: usize,
    packing: Packing,
    kind: Kind,
}

enum Kind {
    Narrow(Table<u64>),
    Wide(Table<u128>),
    Bytes {
        arena: Vec<u8>,
        table: HashTable<u32>,
    },
}

impl Store {
    /// A store for configurations of `width` bytes made of `fields`; packed when they fit and
    /// `pack` allows it.
    pub(crate) fn new(width: usize, layout: &[FieldLayout], pack: bool) -> Store {
        let packing = Packing::new(layout);
        let kind = if pack && packing.bits <= u64::KEY_BITS {
            Kind::Narrow(Table::new())
        } else if pack && packing.bits <= u128::KEY_BITS {
            Kind::Wide(Table::new())
        } else {
            Kind::Bytes {
                arena: Vec::new(),
                table: HashTable::new(),
            }
        };
        Store {
            width,
            packing,
            kind,
        }
    }

    pub(crate) fn packing(&self) -> &Packing {
        &self.packing
    }

    /// Whether configurations are stored packed.
    pub(crate) fn is_packed(&self) -> bool {
        !matches!(self.kind, Kind::Bytes { .. })
    }

    /// Configuration `i` packed, when the store keeps them so.
    pub(crate) fn key(&self, i: u32) -> Option<u128> {
        match &self.kind {
            Kind::Narrow(table) => table.keys.get(i as usize).map(|&k| k.into()),
            Kind::Wide(table) => table.keys.get(i as usize).copied(),
            Kind::Bytes { .. } => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        match &self.kind {
            Kind::Narrow(table) => table.keys.len(),
            Kind::Wide(table) => table.keys.len(),
            Kind::Bytes { arena, .. } => arena.len() / self.width,
        }
    }

    /// Bytes taken by the configurations and their index.
    pub(crate) fn bytes(&self) -> usize {
        match &self.kind {
            Kind::Narrow(table) => table.bytes(),
            Kind::Wide(table) => table.bytes(),
            Kind::Bytes { arena, table } => arena.len() + table.capacity() * 5,
        }
    }

    /// Configuration `i` into `out` (`width` bytes).
    pub(crate) fn load(&self, i: u32, out: &mut [u8]) {
        match &self.kind {
            Kind::Narrow(Table { keys, .. }) => self.packing.unpack(keys[i as usize].into(), out),
            Kind::Wide(Table { keys, .. }) => self.packing.unpack(keys[i as usize], out),
            Kind::Bytes { arena, .. } => {
                let at = i as usize * self.width;
                out.copy_from_slice(&arena[at..at + self.width]);
            }
        }
    }

    /// Where configuration `bytes` is looked for; the memory there is fetched meanwhile, so
    /// probing several configurations before inserting them overlaps the fetches.
    pub(crate) fn probe(&self, bytes: &[u8]) -> Probe {
        match &self.kind {
            Kind::Narrow(_) | Kind::Wide(_) => self.probe_key(self.packing.pack(bytes)),
            Kind::Bytes { .. } => Probe {
                key: 0,
                hash: hash(bytes),
            },
        }
    }

    /// [`Store::probe`] for a configuration already packed (in a packed store).
    pub(crate) fn probe_key(&self, key: u128) -> Probe {
        let probe = Probe {
            key,
            hash: mix(key),
        };
        match &self.kind {
            Kind::Narrow(table) => table.prefetch(probe.hash),
            Kind::Wide(table) => table.prefetch(probe.hash),
            Kind::Bytes { .. } => {}
        }
        probe
    }

    /// The index of a packed configuration, if it is stored (in a packed store).
    pub(crate) fn find(&self, probe: Probe) -> Option<u32> {
        match &self.kind {
            Kind::Narrow(table) => table.locate(probe).ok(),
            Kind::Wide(table) => table.locate(probe).ok(),
            Kind::Bytes { .. } => None,
        }
    }

    /// Stores a configuration unless it is there: its index, and whether it is new. `probe` is
    /// what [`Store::probe`] said of `bytes`.
    pub(crate) fn insert(&mut self, bytes: &[u8], probe: Probe) -> (u32, bool) {
        match &mut self.kind {
            Kind::Narrow(table) => table.insert(probe),
            Kind::Wide(table) => table.insert(probe),
            Kind::Bytes { arena, table } => {
                let width = self.width;
                let index = u32::try_from(arena.len() / width).unwrap_or(u32::MAX - 1);
                let h = probe.hash;
                if let Some(&i) = table.find(h, |&i| {
                    let i = i as usize * width;
                    &arena[i..i + width] == bytes
                }) {
                    return (i, false);
                }
                arena.extend_from_slice(bytes);
                let arena = &*arena;
                table.insert_unique(h, index, |&i| {
                    let i = i as usize * width;
                    hash(&arena[i..i + width])
                });
                (index, true)
            }
        }
    }
}

/// A configuration's packed form (for the packed store) and hash.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe {
    key: u128,
    hash: u64,
}

/// Asks for the cache line holding `slot`.
#[inline]
fn prefetch<S>(slot: &S) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it reads nothing and cannot fault, and `slot` is a valid
    // reference besides.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
            std::ptr::from_ref(slot).cast(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = slot;
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// A packed configuration's place in the table: both halves through a multiply-xorshift, so
/// configurations that differ in a few low bits land far apart.
fn mix(key: u128) -> u64 {
    let mut h = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Vec<FieldLayout> {
        vec![
            FieldLayout {
                offset: 0,
                width: 1,
                count: 2,
            },
            FieldLayout {
                offset: 1,
                width: 2,
                count: 3000,
            },
            FieldLayout {
                offset: 3,
                width: 1,
                count: 1,
            },
        ]
    }

    #[test]
    fn both_forms_give_the_same_indices_and_the_same_bytes_back() {
        for packed in [true, false] {
            let mut store = Store::new(4, &layout(), packed);
            assert_eq!(store.is_packed(), packed);
            let mut configs = Vec::new();
            for a in 0..2u8 {
                for b in 0..3000u16 {
                    let [hi, lo] = b.to_be_bytes();
                    configs.push([a, hi, lo, 0]);
                }
            }
            for (k, c) in configs.iter().enumerate() {
                assert_eq!(store.insert(c, store.probe(c)), (k as u32, true));
            }
            for (k, c) in configs.iter().enumerate() {
                assert_eq!(store.insert(c, store.probe(c)), (k as u32, false));
                let mut out = [9u8; 4];
                store.load(k as u32, &mut out);
                assert_eq!(&out, c);
            }
            assert_eq!(store.len(), configs.len());
        }
    }
}
