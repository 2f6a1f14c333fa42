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

/// Configurations packed into this many bits at most are stored inline.
const INLINE_BITS: u32 = 96;
/// Bits of an inline slot that hold the configuration; the rest hold its index.
const KEY_MASK: u128 = (1 << INLINE_BITS) - 1;
/// An empty slot: an index no configuration has (indices stay below `u32::MAX`).
const EMPTY: u128 = u128::MAX;

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
    Packed {
        /// The packed configurations in index order.
        keys: Vec<u128>,
        /// Open addressing with linear probing: a packed configuration in the low 96 bits, its
        /// index in the high 32, or [`EMPTY`].
        table: Vec<u128>,
    },
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
        let kind = if pack && packing.bits <= INLINE_BITS {
            Kind::Packed {
                keys: Vec::new(),
                table: vec![EMPTY; 64],
            }
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
    #[cfg(test)]
    pub(crate) fn is_packed(&self) -> bool {
        matches!(self.kind, Kind::Packed { .. })
    }

    /// Configuration `i` packed, when the store keeps them so.
    pub(crate) fn key(&self, i: u32) -> Option<u128> {
        match &self.kind {
            Kind::Packed { keys, .. } => keys.get(i as usize).copied(),
            Kind::Bytes { .. } => None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        match &self.kind {
            Kind::Packed { keys, .. } => keys.len(),
            Kind::Bytes { arena, .. } => arena.len() / self.width,
        }
    }

    /// Bytes taken by the configurations and their index.
    pub(crate) fn bytes(&self) -> usize {
        match &self.kind {
            Kind::Packed { keys, table, .. } => 16 * (keys.len() + table.len()),
            Kind::Bytes { arena, table } => arena.len() + table.capacity() * 5,
        }
    }

    /// Configuration `i` into `out` (`width` bytes).
    pub(crate) fn load(&self, i: u32, out: &mut [u8]) {
        match &self.kind {
            Kind::Packed { keys, .. } => self.packing.unpack(keys[i as usize], out),
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
            Kind::Packed { .. } => self.probe_key(self.packing.pack(bytes)),
            Kind::Bytes { .. } => Probe {
                key: 0,
                hash: hash(bytes),
            },
        }
    }

    /// [`Store::probe`] for a configuration already packed (in a packed store).
    pub(crate) fn probe_key(&self, key: u128) -> Probe {
        let hash = mix(key);
        if let Kind::Packed { table, .. } = &self.kind {
            prefetch(&table[hash as usize & (table.len() - 1)]);
        }
        Probe { key, hash }
    }

    /// Stores a configuration unless it is there: its index, and whether it is new. `probe` is
    /// what [`Store::probe`] said of `bytes`.
    pub(crate) fn insert(&mut self, bytes: &[u8], probe: Probe) -> (u32, bool) {
        let index = u32::try_from(self.len()).unwrap_or(u32::MAX - 1);
        match &mut self.kind {
            Kind::Packed { keys, table, .. } => {
                let key = probe.key;
                let wrap = table.len() - 1;
                let mut at = probe.hash as usize & wrap;
                loop {
                    let slot = table[at];
                    if slot == EMPTY {
                        break;
                    }
                    if slot & KEY_MASK == key {
                        return ((slot >> INLINE_BITS) as u32, false);
                    }
                    at = (at + 1) & wrap;
                }
                table[at] = key | u128::from(index) << INLINE_BITS;
                keys.push(key);
                // At most half full: linear probing stays short.
                if keys.len() * 2 > table.len() {
                    grow(table);
                }
                (index, true)
            }
            Kind::Bytes { arena, table } => {
                let width = self.width;
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
fn prefetch(slot: &u128) {
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

/// Doubles the table, placing every slot again.
fn grow(table: &mut Vec<u128>) {
    let old = std::mem::replace(table, vec![EMPTY; table.len() * 2]);
    let wrap = table.len() - 1;
    for slot in old.into_iter().filter(|&s| s != EMPTY) {
        let mut at = mix(slot & KEY_MASK) as usize & wrap;
        while table[at] != EMPTY {
            at = (at + 1) & wrap;
        }
        table[at] = slot;
    }
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
