//! The set of configurations an exploration has seen, each with its index (the order it was first
//! seen in).
//!
//! A configuration comes in as bytes: fixed-width fields, each an offset from its smallest value,
//! big-endian (see `encoding.rs`). Its packed form cuts each field down to the bits its values need
//! and puts them one after the other, the first field in the highest bits ([`Packing`]): then
//! comparing two packed instances, or two packed subtrees, as numbers orders them as comparing
//! their bytes does, so both forms sort identical children the same way.
//!
//! Most worlds fit in 96 bits packed (a pool of 6 workers with 6 states and a counter 0..3 takes
//! 31 bits, of 8 workers 41). Those are kept in a compact exact table (`compact.rs`):
//!
//! - the packed configurations in index order, each in exactly its bits, one after the other
//!   ([`Keys`]: 41 bits take 5.1 bytes) — the list the breadth-first exploration goes through;
//! - a hash table of their indices ([`Table`]): four bytes a slot, at most 7/8 full, so from 4.6
//!   to 9.1 bytes per configuration. A slot holds the index in its low bits and, in the bits the
//!   index does not need, a fingerprint of the configuration's hash: a slot of another
//!   configuration is passed over without a look at its key but for one in 2^(32 − log2 slots)
//!   (one in 256 at 16 million slots). A slot whose fingerprint matches is compared with the
//!   configuration itself, in the list: the table is exact. Fingerprints alone (hash compaction)
//!   would take less, but two configurations with one fingerprint would be taken for one, and
//!   what the second leads to would never be seen; a finding that something never happens must
//!   not rest on that. The table is rebuilt from the list when it doubles, the old one freed
//!   first, so it never holds two tables at once.
//!
//! The explorer gives the store its successors in batches ([`Store::settle`]); the keys the table
//! points them to are fetched while the batch is looked up, so the look in the list costs little.
//! With the parents and the moves kept in about half a byte each per configuration (`compact.rs`),
//! the pool of the analysis benchmark takes 14.1 to 14.9 bytes per configuration at 6, 7 and 8
//! workers (it took 41 to 69 with a table of whole configurations beside their indices, at most
//! half full).
//! Wider configurations keep their bytes in an arena, found through a hash table of indices.

use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use crate::analysis::bdd::table_bytes;
use compact::{Keys, Table};

mod chunked;
mod compact;
mod packing;

pub(crate) use crate::analysis::hash_table_bytes;
pub(crate) use chunked::Chunked;
pub(crate) use compact::{Edges, NO_PARENT, Parents};
pub(crate) use packing::{Packing, mask, read_field, write_field};

/// A field of the byte form: where it is, how many bytes, how many values it holds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldLayout {
    pub offset: u32,
    pub width: u8,
    pub count: u64,
}

/// What [`Store::settle`] says of each configuration it is given: its index, with [`NEW`] when
/// the call stored it; or [`REFUSED`], new but past the room it was given. Indices stay below
/// `NEW`.
pub(crate) const NEW: u32 = 1 << 31;
pub(crate) const REFUSED: u32 = u32::MAX;

/// Configurations of at most this many bits are stored packed (in a [`PackedTable`]).
const PACKED_BITS: u32 = 96;

/// Packed configurations in index order ([`Keys`], each in exactly the bits it needs), and the
/// hash table of their indices that finds them ([`Table`]: four bytes a slot, at most 7/8 full).
struct PackedTable {
    keys: Keys,
    table: Table,
}

impl PackedTable {
    fn new(bits: u32) -> PackedTable {
        PackedTable {
            keys: Keys::new(bits),
            table: Table::new(),
        }
    }

    fn bytes(&self) -> usize {
        self.keys.bytes() + self.table.bytes()
    }

    /// Bytes each new configuration adds, about, besides [`PackedTable::growth`]: its key.
    fn bytes_per_new(&self) -> usize {
        (self.keys.bits() as usize).div_ceil(8)
    }

    /// Bytes that looking up `n` configurations may allocate besides
    /// [`PackedTable::bytes_per_new`] each: the table the hash table doubles into (the old one
    /// freed first), and a chunk of keys.
    fn growth(&self, n: usize) -> usize {
        self.keys.growth(n) + self.table.growth(self.keys.len(), n)
    }

    /// The index of a configuration in the table, or the empty slot where it would go.
    fn locate(&self, key: u128) -> Result<u32, usize> {
        self.table.locate(key, mix(key), &self.keys)
    }

    /// Asks for the cache line of the table where `key` will be looked for.
    fn prefetch(&self, key: u128) {
        self.table.prefetch(mix(key));
    }

    fn find(&self, key: u128) -> Option<u32> {
        self.locate(key).ok()
    }

    fn find_all(&self, n: usize, key: impl Fn(usize) -> u128, out: &mut Vec<u32>) {
        out.clear();
        out.extend((0..n).map(|k| self.locate(key(k)).unwrap_or(REFUSED)));
    }

    /// See [`Store::settle`].
    fn settle(&mut self, n: usize, key: impl Fn(usize) -> u128, room: usize, out: &mut Vec<u32>) {
        out.clear();
        // The keys the table points each one to are fetched meanwhile (the table's lines were,
        // when the configurations were made).
        for k in 0..n {
            let key = key(k);
            self.table.prefetch_key(mix(key), &self.keys);
        }
        let mut stored = 0;
        for k in 0..n {
            let key = key(k);
            let h = mix(key);
            out.push(match self.table.locate(key, h, &self.keys) {
                Ok(index) => index,
                Err(at)
                    if stored < room
                        && self.keys.len() < NEW as usize
                        && self.table.has_room(self.keys.len()) =>
                {
                    stored += 1;
                    let index = self.keys.len() as u32;
                    self.keys.push(key);
                    if self.table.put(at, index, h) {
                        self.table.grow(&self.keys, mix);
                    }
                    index | NEW
                }
                Err(_) => REFUSED,
            });
        }
    }
}

/// The visited set: the configurations seen, packed in a [`PackedTable`] when they fit in
/// [`PACKED_BITS`], else as bytes in an arena found through a hash table of their indices.
pub(crate) struct Store {
    width: usize,
    packing: Packing,
    kind: Kind,
}

enum Kind {
    Packed(PackedTable),
    Bytes {
        /// Whole configurations in each chunk.
        arena: Chunked<u8>,
        table: HashTable<u32>,
    },
}

impl Store {
    /// A store for configurations of `width` bytes made of `fields`; packed when they fit and
    /// `pack` allows it.
    pub(crate) fn new(width: usize, layout: &[FieldLayout], pack: bool) -> Store {
        let packing = Packing::new(layout);
        let kind = if pack && packing.bits <= PACKED_BITS {
            Kind::Packed(PackedTable::new(packing.bits))
        } else {
            Kind::Bytes {
                arena: Chunked::records(width),
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
            Kind::Packed(table) => table.keys.get(i as usize),
            Kind::Bytes { .. } => None,
        }
    }

    /// The packed configurations, in order (in a packed store).
    pub(crate) fn keys(&self) -> Option<impl Iterator<Item = u128> + '_> {
        match &self.kind {
            Kind::Packed(table) => Some(table.keys.iter()),
            Kind::Bytes { .. } => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        match &self.kind {
            Kind::Packed(table) => table.keys.len(),
            Kind::Bytes { arena, .. } => arena.len() / self.width,
        }
    }

    /// Bytes taken by the configurations and their index.
    pub(crate) fn bytes(&self) -> usize {
        match &self.kind {
            Kind::Packed(table) => table.bytes(),
            Kind::Bytes { arena, table } => arena.bytes() + table_bytes(table.capacity()),
        }
    }

    /// Bytes each new configuration adds to [`Store::bytes`], about, besides
    /// [`Store::growth`].
    pub(crate) fn bytes_per_new(&self) -> usize {
        match &self.kind {
            Kind::Packed(table) => table.bytes_per_new(),
            Kind::Bytes { .. } => self.width,
        }
    }

    /// Bytes that looking up `n` configurations may allocate besides [`Store::bytes_per_new`]
    /// each, growing tables held with the ones they replace while they fill.
    pub(crate) fn growth(&self, n: usize) -> usize {
        match &self.kind {
            Kind::Packed(table) => table.growth(n),
            Kind::Bytes { arena, table } => {
                let full = table.len() + n > table.capacity();
                let index = if full {
                    table_bytes((table.len() + n).max(table.capacity() * 2))
                } else {
                    0
                };
                arena.growth(n * self.width) + index
            }
        }
    }

    /// Configuration `i` into `out` (`width` bytes).
    pub(crate) fn load(&self, i: u32, out: &mut [u8]) {
        match &self.kind {
            Kind::Packed(table) => {
                let key = table.keys.get(i as usize).unwrap_or(0);
                self.packing.unpack(key, out);
            }
            Kind::Bytes { arena, .. } => {
                out.copy_from_slice(arena.record(i as usize));
            }
        }
    }

    /// What configuration `bytes` is looked up by.
    pub(crate) fn probe(&self, bytes: &[u8]) -> Probe {
        match &self.kind {
            Kind::Packed(_) => self.probe_key(self.packing.pack(bytes)),
            Kind::Bytes { .. } => Probe(u128::from(hash(bytes))),
        }
    }

    /// [`Store::probe`] for a configuration already packed (in a packed store). While the store
    /// looks configurations up in its hash table, the memory where this one will be looked for
    /// is fetched meanwhile, so that making several successors before looking them up overlaps
    /// the fetches.
    pub(crate) fn probe_key(&self, key: u128) -> Probe {
        match &self.kind {
            Kind::Packed(table) => table.prefetch(key),
            Kind::Bytes { .. } => {}
        }
        Probe(key)
    }

    /// Asks for the cache line of the configuration stored that a packed configuration most
    /// likely is (the first of the table with its fingerprint), once the line of the table it is
    /// looked for in was fetched ([`Store::probe_key`]); so that [`Store::find`] on many
    /// overlaps their fetches.
    pub(crate) fn prefetch_stored(&self, probe: Probe) {
        if let Kind::Packed(table) = &self.kind {
            table.table.prefetch_key(mix(probe.0), &table.keys);
        }
    }

    /// The index of a packed configuration, if it is stored (in a packed store).
    pub(crate) fn find(&self, probe: Probe) -> Option<u32> {
        match &self.kind {
            Kind::Packed(table) => table.find(probe.0),
            Kind::Bytes { .. } => None,
        }
    }

    /// [`Store::find`] for many packed configurations at once. Sets `out` to the index of each,
    /// or [`REFUSED`] for those not stored.
    pub(crate) fn find_all(
        &mut self,
        n: usize,
        probe: impl Fn(usize) -> Probe,
        out: &mut Vec<u32>,
    ) {
        match &mut self.kind {
            Kind::Packed(table) => table.find_all(n, |k| probe(k).0, out),
            Kind::Bytes { .. } => {
                out.clear();
                out.resize(n, REFUSED);
            }
        }
    }

    /// Stores the configurations that are new among a batch of `n` (`probe(k)` of each, and
    /// their bytes one after the other when the store keeps bytes), the first of equal ones
    /// first, until `room` are stored. Sets `out` to what each is (see [`NEW`]): the indices go
    /// in the order of the batch, as if each were looked up and stored in turn; a packed store
    /// fetches the keys its table points each to before it looks them up.
    pub(crate) fn settle(
        &mut self,
        n: usize,
        probe: impl Fn(usize) -> Probe,
        bytes: &[u8],
        room: usize,
        out: &mut Vec<u32>,
    ) {
        match &mut self.kind {
            Kind::Packed(table) => table.settle(n, |k| probe(k).0, room, out),
            Kind::Bytes { arena, table } => {
                let width = self.width;
                let mut stored = 0;
                out.clear();
                for (k, bytes) in bytes.chunks_exact(width).take(n).enumerate() {
                    let h = probe(k).0 as u64;
                    let found = table.find(h, |&i| arena.record(i as usize) == bytes);
                    let index = arena.len() / width;
                    out.push(match found {
                        Some(&i) => i,
                        None if stored < room && index < NEW as usize => {
                            stored += 1;
                            arena.push_record(bytes);
                            let arena = &*arena;
                            table.insert_unique(h, index as u32, |&i| {
                                hash(arena.record(i as usize))
                            });
                            index as u32 | NEW
                        }
                        None => REFUSED,
                    });
                }
            }
        }
    }

    /// Stores one configuration unless it is there: its index, and whether it is new.
    pub(crate) fn insert(&mut self, bytes: &[u8], probe: Probe) -> (u32, bool) {
        let mut out = Vec::with_capacity(1);
        let bytes = if self.is_packed() { &[][..] } else { bytes };
        self.settle(1, |_| probe, bytes, 1, &mut out);
        (out[0] & !NEW, out[0] & NEW != 0)
    }
}

/// A configuration's packed form (for a packed store), or its hash (for the bytes).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe(u128);

impl Probe {
    /// [`Store::probe_key`] without asking for the memory it will be looked for in: made on a
    /// thread that does not look it up, or for a configuration whose memory was asked for
    /// already (or that is looked up at once).
    pub(crate) fn unfetched(key: u128) -> Probe {
        Probe(key)
    }
}

/// Asks for the cache line holding `slot`.
#[inline]
pub(crate) fn prefetch<S>(slot: &S) {
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

fn hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
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

    /// Configurations of `layout`: a first field of 2 values, a second of `count`.
    fn configs(count: u16) -> Vec<[u8; 4]> {
        let mut configs = Vec::new();
        for a in 0..2u8 {
            for b in 0..count {
                let [hi, lo] = b.to_be_bytes();
                configs.push([a, hi, lo, 0]);
            }
        }
        configs
    }

    /// Every form of store: bytes, and packed in a hash table.
    fn stores(width: usize, layout: &[FieldLayout]) -> [Store; 2] {
        [
            Store::new(width, layout, false),
            Store::new(width, layout, true),
        ]
    }

    #[test]
    fn every_form_gives_the_same_indices_and_the_same_bytes_back() {
        for mut store in stores(4, &layout()) {
            let configs = configs(3000);
            for (k, c) in configs.iter().enumerate() {
                assert_eq!(store.insert(c, store.probe(c)), (k as u32, true));
            }
            for (k, c) in configs.iter().enumerate() {
                assert_eq!(store.insert(c, store.probe(c)), (k as u32, false));
                assert_eq!(store.find(store.probe(c)).is_some(), store.is_packed());
                let mut out = [9u8; 4];
                store.load(k as u32, &mut out);
                assert_eq!(&out, c);
            }
            assert_eq!(store.len(), configs.len());
        }
    }

    /// What [`Store::settle`] must answer: each configuration looked up and stored in turn.
    fn one_by_one(
        batch: &[Vec<u8>],
        room: usize,
        seen: &mut std::collections::HashMap<Vec<u8>, u32>,
    ) -> Vec<u32> {
        let mut stored = 0;
        batch
            .iter()
            .map(|c| match seen.get(c) {
                Some(&i) => i,
                None if stored < room => {
                    stored += 1;
                    let index = seen.len() as u32;
                    seen.insert(c.clone(), index);
                    index | NEW
                }
                None => REFUSED,
            })
            .collect()
    }

    /// Batches with configurations twice, some stored before, and rooms too small: the same
    /// answers as storing each in turn, in every form.
    #[test]
    fn a_batch_is_stored_as_if_one_configuration_after_another() {
        // 13 bits packed (a narrow table), and 41 (a wide one).
        let big = FieldLayout {
            offset: 4,
            width: 4,
            count: 1 << 28,
        };
        for (layout, width) in [(layout(), 4), ([layout(), vec![big]].concat(), 8)] {
            let configs: Vec<Vec<u8>> = configs(1500)
                .into_iter()
                .map(|c| {
                    let mut bytes = c.to_vec();
                    bytes.resize(width, 0);
                    if width == 8 {
                        let far = u32::from(u16::from_be_bytes([c[1], c[2]])) << 16 | 7;
                        bytes[4..].copy_from_slice(&far.to_be_bytes());
                    }
                    bytes
                })
                .collect();
            let mut stores = stores(width, &layout);
            assert_eq!(stores[1].packing.bits, if width == 4 { 13 } else { 41 });
            let mut seen = std::collections::HashMap::new();
            let (mut start, mut size) = (0, 1);
            while start < configs.len() {
                // This batch, the one before and this one again; every third refuses its last
                // new configuration, or all.
                let end = (start + size).min(configs.len());
                let before = start.saturating_sub(size - 1);
                let batch: Vec<Vec<u8>> = [&configs[start..end], &configs[before..end]].concat();
                let room = match size % 3 {
                    0 => end - start - 1,
                    1 if size % 2 == 0 => 0,
                    _ => end - start,
                };
                let expected = one_by_one(&batch, room, &mut seen);
                for store in &mut stores {
                    let probes: Vec<Probe> = batch.iter().map(|c| store.probe(c)).collect();
                    let mut out = Vec::new();
                    let bytes = batch.concat();
                    store.settle(batch.len(), |k| probes[k], &bytes, room, &mut out);
                    assert_eq!(out, expected, "batch of {size}, room {room}");
                }
                // The first `room` of the new ones are stored; the others come again.
                start += room;
                size += 1;
            }
            // One batch of all of them, twice, backwards.
            let all: Vec<Vec<u8>> = configs.iter().chain(&configs).rev().cloned().collect();
            let expected = one_by_one(&all, 0, &mut seen);
            for store in &mut stores {
                let probes: Vec<Probe> = all.iter().map(|c| store.probe(c)).collect();
                let mut out = Vec::new();
                store.settle(all.len(), |k| probes[k], &all.concat(), 0, &mut out);
                assert_eq!(out, expected);
            }
            for (k, c) in configs.iter().enumerate() {
                let index = seen.get(c).copied();
                for store in &stores[1..] {
                    assert_eq!(store.find(store.probe(c)), index, "configuration {k}");
                }
            }
        }
    }

    /// The packed table: what is stored is found, what is not is not (fingerprints only pass a
    /// slot over, the key decides), growing says beforehand what it takes, and a configuration
    /// takes its bits and at most 9.2 bytes of table.
    #[test]
    fn a_packed_table_is_exact_and_takes_its_bits_and_a_few_bytes() {
        // 2 + 3 000 values: 13 bits; and the same with 28 more bits (41 in all).
        let big = FieldLayout {
            offset: 4,
            width: 4,
            count: 1 << 28,
        };
        for (layout, width, bits) in [
            (layout(), 4, 13usize),
            ([layout(), vec![big]].concat(), 8, 41),
        ] {
            let mut store = Store::new(width, &layout, true);
            let bytes = |a: u8, b: u16, far: u32| {
                let mut c = vec![a, (b >> 8) as u8, b as u8, 0];
                if width == 8 {
                    c.extend_from_slice(&far.to_be_bytes());
                }
                c
            };
            let mut n = 0usize;
            for b in 0..3000u16 {
                for a in 0..2u8 {
                    let c = bytes(a, b, u32::from(b) * 7);
                    let (before, growth) = (store.bytes(), store.growth(1) + store.bytes_per_new());
                    assert_eq!(store.insert(&c, store.probe(&c)), (n as u32, true));
                    assert!(store.bytes() <= before + growth, "configuration {n}");
                    n += 1;
                    // Not stored: another `far`, or `b` past those stored.
                    if width == 8 {
                        let other = bytes(a, b, u32::from(b) * 7 + 1);
                        assert_eq!(store.find(store.probe(&other)), None);
                    }
                    let later = bytes(a, b + 1, u32::from(b + 1) * 7);
                    assert_eq!(store.find(store.probe(&later)), None);
                }
            }
            for b in 0..3000u16 {
                for a in 0..2u8 {
                    let c = bytes(a, b, u32::from(b) * 7);
                    let i = u32::from(b) * 2 + u32::from(a);
                    assert_eq!(store.find(store.probe(&c)), Some(i));
                    let mut out = vec![0; width];
                    store.load(i, &mut out);
                    assert_eq!(out, c);
                }
            }
            // Its bits, and a table at least 7/16 full, but for the first chunk of keys.
            let most = n * bits / 8 + n * 4 * 16 / 7 + (1 << 16);
            assert!(
                store.bytes() <= most,
                "{bits} bits: {} bytes",
                store.bytes()
            );
        }
    }
}
