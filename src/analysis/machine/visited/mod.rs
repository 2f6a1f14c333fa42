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
//!
//! Sorted runs ([`Store::sort`]): each batch (a BFS layer, or part of one) sorted and merged with
//! the configurations stored, with no random probe per configuration (delayed duplicate
//! detection). The explorer moves to them when the table would pass the bound on memory and the
//! runs fit beside it; an entry takes eight or sixteen bytes and its share of a directory, more
//! than the table's slots, so with this table that is seldom. They are kept for the benchmark
//! that compares them (`Variant::Sorted`).

use std::hash::Hasher;
use std::ops::Range;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use crate::analysis::bdd::table_bytes;
use compact::{Keys, Table};

mod compact;

pub(crate) use crate::analysis::hash_table_bytes;
pub(crate) use compact::{Edges, NO_PARENT, Parents};

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
/// In [`Sorted::look_up`]: a later place of a configuration, with its first place.
const DUPLICATE: u32 = NEW;

/// An entry of a sorted run: a packed configuration, mixed ([`Entry::mix`], a bijection, so
/// equal mixed keys are equal configurations and the mixed keys spread evenly), in the high
/// bits; in the low 32, its index (in a run) or its place in a batch (while sorting one).
/// Configurations of up to 32 bits take 8 bytes and 4 in the list in index order; up to 96, 16
/// and 16.
trait Entry: Copy + Ord {
    /// Bits of a mixed key.
    const BITS: u32;
    fn mix(key: u128) -> u128;
    fn new(mixed: u128, low: u32) -> Self;
    fn mixed(self) -> u128;
    fn low(self) -> u32;
    /// Sorts by mixed key, keeping the order of equal ones.
    fn sort(items: &mut Vec<Self>, scratch: &mut Vec<Self>);
}

impl Entry for u64 {
    const BITS: u32 = 32;
    fn mix(key: u128) -> u128 {
        let mut x = (key as u32).wrapping_mul(0x9E37_79B1);
        x ^= x >> 15;
        x = x.wrapping_mul(0x85EB_CA77);
        x ^= x >> 13;
        u128::from(x)
    }
    fn new(mixed: u128, low: u32) -> u64 {
        (mixed as u64) << 32 | u64::from(low)
    }
    fn mixed(self) -> u128 {
        u128::from(self >> 32)
    }
    fn low(self) -> u32 {
        self as u32
    }
    /// Least significant digit first, 11 bits at a time over the mixed key: three stable
    /// passes.
    fn sort(items: &mut Vec<u64>, scratch: &mut Vec<u64>) {
        if items.len() < 256 {
            // Mixed key, then place: the same order.
            items.sort_unstable();
            return;
        }
        scratch.clear();
        scratch.resize(items.len(), 0);
        const DIGITS: [(u32, u32); 3] = [(32, 11), (43, 11), (54, 10)];
        let mut counts = [[0usize; 1 << 11]; 3];
        for &x in items.iter() {
            for (count, (shift, bits)) in counts.iter_mut().zip(DIGITS) {
                count[(x >> shift) as usize & ((1 << bits) - 1)] += 1;
            }
        }
        for (mut at, (shift, bits)) in counts.into_iter().zip(DIGITS) {
            let digit = |x: u64| (x >> shift) as usize & ((1 << bits) - 1);
            let mut sum = 0;
            for a in &mut at {
                (*a, sum) = (sum, sum + *a);
            }
            for &x in items.iter() {
                let d = digit(x);
                scratch[at[d]] = x;
                at[d] += 1;
            }
            std::mem::swap(items, scratch);
        }
    }
}

impl Entry for u128 {
    const BITS: u32 = 96;
    fn mix(key: u128) -> u128 {
        let wrap = mask(96);
        let mut x = key.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835) & wrap;
        x ^= x >> 48;
        x = x.wrapping_mul(0xC4CE_B9FE_1A85_EC53_FF51_AFD7_ED55_8CCD) & wrap;
        x ^ (x >> 41)
    }
    fn new(mixed: u128, low: u32) -> u128 {
        mixed << 32 | u128::from(low)
    }
    fn mixed(self) -> u128 {
        self >> 32
    }
    fn low(self) -> u32 {
        self as u32
    }
    fn sort(items: &mut Vec<u128>, _: &mut Vec<u128>) {
        items.sort_unstable();
    }
}

/// Bytes of a chunk of a [`Chunked`] array.
pub(crate) const CHUNK_BYTES: usize = 1 << 16;

/// An append-only array kept in chunks of a fixed number of items (a power of two). Growing
/// never copies what it holds past the first chunk (a `Vec` that doubles holds both copies for a
/// moment, and then up to twice what it needs), it takes at most one chunk more than it holds,
/// and the chunks wholly before an index can be given back (for a queue). So the memory it will
/// take is known before it grows, and [`Chunked::bytes`] is what it takes. The first chunk starts
/// small and doubles up to its full size, so a small array takes little.
///
/// Items may come in records of a fixed length (a configuration's bytes), never split between
/// chunks.
pub(crate) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    /// Records per chunk, as a power of two.
    shift: u32,
    /// Items per record.
    record: usize,
    /// Items held.
    len: usize,
    /// Items the chunks not given back have room for.
    reserved: usize,
}

/// Records the first chunk has room for at first.
const FIRST_RECORDS: usize = 16;

impl<T: Copy> Chunked<T> {
    /// Single items, in chunks of about [`CHUNK_BYTES`].
    pub(crate) fn new() -> Chunked<T> {
        Chunked::records(1)
    }

    /// Records of `record` items, in chunks of about [`CHUNK_BYTES`] (at least one record).
    pub(crate) fn records(record: usize) -> Chunked<T> {
        let record = record.max(1);
        let per_chunk = (CHUNK_BYTES / (record * std::mem::size_of::<T>().max(1))).max(1);
        Chunked {
            chunks: Vec::new(),
            shift: per_chunk.ilog2(),
            record,
            len: 0,
            reserved: 0,
        }
    }

    /// Items per chunk.
    fn per_chunk(&self) -> usize {
        self.record << self.shift
    }

    /// Items the first chunk has room for at first.
    fn first_capacity(&self) -> usize {
        (self.record * FIRST_RECORDS).min(self.per_chunk())
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The chunk the next record goes in, made (or, the first, grown) if it must be.
    #[inline]
    fn tail(&mut self) -> &mut Vec<T> {
        let c = (self.len / self.record) >> self.shift;
        if c == self.chunks.len() {
            let capacity = if c == 0 {
                self.first_capacity()
            } else {
                self.per_chunk()
            };
            self.chunks.push(Vec::with_capacity(capacity));
            self.reserved += capacity;
        }
        let per_chunk = self.per_chunk();
        let chunk = &mut self.chunks[c];
        if chunk.len() == chunk.capacity() {
            // Only the first chunk is ever full before its last record.
            let more = (chunk.capacity() * 2).min(per_chunk) - chunk.len();
            let before = chunk.capacity();
            chunk.reserve_exact(more);
            self.reserved += chunk.capacity() - before;
        }
        chunk
    }

    #[inline]
    pub(crate) fn push(&mut self, item: T) {
        self.tail().push(item);
        self.len += 1;
    }

    /// Appends a record (`record` items).
    pub(crate) fn push_record(&mut self, items: &[T]) {
        self.tail().extend_from_slice(items);
        self.len += items.len();
    }

    /// Item `i` (of single items), unless it is past the end or given back.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<T> {
        self.at(i).copied()
    }

    /// Where item `i` is (to fetch its cache line ahead of reading it).
    #[inline]
    pub(crate) fn at(&self, i: usize) -> Option<&T> {
        let mask = (1 << self.shift) - 1;
        self.chunks
            .get(i >> self.shift)
            .and_then(|chunk| chunk.get(i & mask))
    }

    /// Record `r`.
    pub(crate) fn record(&self, r: usize) -> &[T] {
        let mask = (1 << self.shift) - 1;
        let at = (r & mask) * self.record;
        &self.chunks[r >> self.shift][at..at + self.record]
    }

    /// Gives back the chunks that hold only items before item `i`: they are not read again.
    pub(crate) fn release_before(&mut self, i: usize) {
        let before = (i / self.record) >> self.shift;
        for chunk in self.chunks.iter_mut().take(before) {
            self.reserved -= chunk.capacity();
            *chunk = Vec::new();
        }
    }

    /// The items in order (none given back).
    pub(crate) fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.chunks.iter().flatten().copied().take(self.len)
    }

    /// Bytes it takes: its chunks, and the list of them.
    pub(crate) fn bytes(&self) -> usize {
        self.reserved * std::mem::size_of::<T>()
            + self.chunks.capacity() * std::mem::size_of::<Vec<T>>()
    }

    /// Bytes that `n` more items may add to [`Chunked::bytes`] at its peak.
    pub(crate) fn growth(&self, n: usize) -> usize {
        let per_chunk = self.per_chunk();
        let size = std::mem::size_of::<T>();
        let allocated = match self.chunks.len() {
            0 => 0,
            c => (c - 1) * per_chunk + self.chunks[c - 1].capacity(),
        };
        let end = self.len + n;
        if end <= allocated {
            return 0;
        }
        let mut bytes = 0;
        // The first chunk doubles (its old copy held a moment) up to its full size.
        let first = match self.chunks.first() {
            Some(chunk) if self.chunks.len() == 1 => chunk.capacity(),
            Some(_) => per_chunk,
            None => 0,
        };
        if first < per_chunk {
            let mut capacity = first.max(self.first_capacity());
            while capacity < end.min(per_chunk) {
                capacity = (capacity * 2).min(per_chunk);
            }
            bytes += capacity * size;
        }
        let chunks = end
            .saturating_sub(self.chunks.len().max(1) * per_chunk)
            .div_ceil(per_chunk);
        bytes += chunks * per_chunk * size;
        // The list of chunks doubles when full (to four at first), holding both copies a moment.
        let (needed, capacity) = (self.chunks.len().max(1) + chunks, self.chunks.capacity());
        let list = if needed > capacity {
            needed.max(capacity * 2).max(4) + capacity
        } else {
            0
        };
        bytes + list * std::mem::size_of::<Vec<T>>()
    }
}

/// Equal when they hold the same items (however they are chunked).
impl<T: Copy + PartialEq> PartialEq for Chunked<T> {
    fn eq(&self, other: &Chunked<T>) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Copy + std::fmt::Debug> std::fmt::Debug for Chunked<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Copy> Default for Chunked<T> {
    fn default() -> Chunked<T> {
        Chunked::new()
    }
}

/// Entries sorted by mixed key, with a directory: where the entries whose mixed key starts with
/// each value of its first `bits` bits begin (about two entries each).
struct Run<E> {
    entries: Vec<E>,
    directory: Vec<u32>,
    bits: u32,
}

impl<E: Entry> Run<E> {
    fn new(entries: Vec<E>) -> Run<E> {
        let bits = (entries.len() / 2).max(1).ilog2().min(24);
        let mut run = Run {
            entries,
            directory: Vec::with_capacity((1 << bits) + 1),
            bits,
        };
        let mut at = 0;
        for bucket in 0..=1usize << bits {
            while at < run.entries.len() && run.bucket(run.entries[at].mixed()) < bucket {
                at += 1;
            }
            run.directory.push(at as u32);
        }
        run
    }

    fn bucket(&self, mixed: u128) -> usize {
        if self.bits == 0 {
            0
        } else {
            (mixed >> (E::BITS - self.bits)) as usize
        }
    }

    fn find(&self, mixed: u128) -> Option<u32> {
        let b = self.bucket(mixed);
        let bucket = &self.entries[self.directory[b] as usize..self.directory[b + 1] as usize];
        bucket
            .iter()
            .find(|e| e.mixed() >= mixed)
            .filter(|e| e.mixed() == mixed)
            .map(|e| e.low())
    }

    fn bytes(&self) -> usize {
        Run::<E>::bytes_for(self.entries.capacity())
    }

    /// Bytes a run of `n` entries takes: them, and its directory.
    fn bytes_for(n: usize) -> usize {
        let bits = (n / 2).max(1).ilog2().min(24);
        std::mem::size_of::<E>() * n + 4 * ((1 << bits) + 1)
    }
}

/// Packed configurations in index order ([`Keys`], each in exactly the bits it needs), and what
/// finds them: a hash table of their indices ([`Table`]: four bytes a slot, at most 7/8 full),
/// each configuration looked up in turn; or, once [`Sorted::sort`] is called, sorted runs, in
/// which each batch of configurations is sorted and looked up at once (delayed duplicate
/// detection, see [`Store::settle`]). The new ones of a batch make a run, merged with the one
/// before while it is at least half its size, so there are at most log2 of the configurations
/// runs, and each configuration is merged again about that many times.
struct Sorted<E: Entry> {
    keys: Keys,
    /// The table, until it is sorted.
    table: Table,
    sorted: bool,
    runs: Vec<Run<E>>,
    items: Vec<E>,
    scratch: Vec<E>,
}

impl<E: Entry> Sorted<E> {
    fn new(bits: u32, sorted: bool) -> Sorted<E> {
        Sorted {
            keys: Keys::new(bits),
            table: if sorted { Table::none() } else { Table::new() },
            sorted,
            runs: Vec::new(),
            items: Vec::new(),
            scratch: Vec::new(),
        }
    }

    fn bytes(&self) -> usize {
        self.keys.bytes()
            + self.table.bytes()
            + std::mem::size_of::<E>() * (self.items.capacity() + self.scratch.capacity())
            + self.runs.iter().map(Run::bytes).sum::<usize>()
    }

    /// Bytes each new configuration adds, about, besides [`Sorted::growth`]: its key, and in
    /// sorted runs its entry and its share of a directory.
    fn bytes_per_new(&self) -> usize {
        let run = if self.sorted {
            std::mem::size_of::<E>() + 4
        } else {
            0
        };
        (self.keys.bits() as usize).div_ceil(8) + run
    }

    /// Bytes that looking up `n` configurations may allocate besides [`Sorted::bytes_per_new`]
    /// each: the table the hash table doubles into (the old one freed first); the lists a
    /// batch is sorted in; and a chunk of keys.
    fn growth(&self, n: usize) -> usize {
        let size = std::mem::size_of::<E>();
        let keys = self.keys.growth(n);
        if self.sorted {
            let lists = (n.saturating_sub(self.items.capacity())
                + n.saturating_sub(self.scratch.capacity()))
                * size;
            return keys + lists + Run::<E>::bytes_for(0);
        }
        keys + self.table.growth(self.keys.len(), n)
    }

    /// From the table to sorted runs (one, of every configuration), unless the run does not fit
    /// beside the table (which is freed once it is made) within `limit` bytes.
    fn sort(&mut self, limit: usize) -> bool {
        if self.sorted {
            return true;
        }
        let n = self.keys.len();
        if self.bytes() + Run::<E>::bytes_for(n) > limit {
            return false;
        }
        let mut all: Vec<E> = Vec::with_capacity(n);
        all.extend(
            self.keys
                .iter()
                .enumerate()
                .map(|(i, k)| E::new(E::mix(k), i as u32)),
        );
        all.sort_unstable();
        self.table = Table::none();
        self.runs = vec![Run::new(all)];
        self.sorted = true;
        true
    }

    /// The index of a configuration in the table, or the empty slot where it would go.
    fn locate(&self, key: u128) -> Result<u32, usize> {
        self.table.locate(key, mix(key), &self.keys)
    }

    /// Asks for the cache line of the table where `key` will be looked for.
    fn prefetch(&self, key: u128) {
        if !self.sorted {
            self.table.prefetch(mix(key));
        }
    }

    fn find(&self, key: u128) -> Option<u32> {
        if !self.sorted {
            return self.locate(key).ok();
        }
        let mixed = E::mix(key);
        self.runs.iter().find_map(|run| run.find(mixed))
    }

    /// Sorts `n` keys with their places, keeps the first place of each key not stored in
    /// `items`, and sets `out[place]` to what is known of it: for a first place, the key's index
    /// if it is stored, or [`REFUSED`]; for a later one, [`DUPLICATE`] with the first place.
    fn look_up(&mut self, n: usize, key: impl Fn(usize) -> u128, out: &mut Vec<u32>) {
        self.items.clear();
        self.items
            .extend((0..n).map(|place| E::new(E::mix(key(place)), place as u32)));
        E::sort(&mut self.items, &mut self.scratch);
        out.clear();
        out.resize(n, REFUSED);
        let mut first = 0;
        for (k, item) in self.items.iter().enumerate() {
            if k > 0 && item.mixed() == self.items[k - 1].mixed() {
                out[item.low() as usize] = DUPLICATE | first;
            } else {
                first = item.low();
            }
        }
        self.items.dedup_by(|a, b| a.mixed() == b.mixed());
        // Run by run, the keys in order: a merge, the directory skipping what lies between.
        // What a run holds leaves `items`, which keeps the keys not stored. When the keys are
        // few next to the run, the places they skip to are far apart: the directory entries
        // of the keys 16 on, and the entries those point to for the keys 8 on, are fetched
        // meanwhile.
        for run in &self.runs {
            let (mut at, mut kept) = (0, 0);
            for k in 0..self.items.len() {
                if let Some(later) = self.items.get(k + 16) {
                    prefetch(&run.directory[run.bucket(later.mixed())]);
                }
                if let Some(later) = self.items.get(k + 8) {
                    let start = run.directory[run.bucket(later.mixed())] as usize;
                    if let Some(entry) = run.entries.get(start) {
                        prefetch(entry);
                    }
                }
                let item = self.items[k];
                let mixed = item.mixed();
                at = at.max(run.directory[run.bucket(mixed)] as usize);
                while at < run.entries.len() && run.entries[at].mixed() < mixed {
                    at += 1;
                }
                if at < run.entries.len() && run.entries[at].mixed() == mixed {
                    out[item.low() as usize] = run.entries[at].low();
                } else {
                    self.items[kept] = item;
                    kept += 1;
                }
            }
            self.items.truncate(kept);
        }
    }

    fn find_all(&mut self, n: usize, key: impl Fn(usize) -> u128, out: &mut Vec<u32>) {
        if !self.sorted {
            out.clear();
            out.extend((0..n).map(|k| self.locate(key(k)).unwrap_or(REFUSED)));
            return;
        }
        self.look_up(n, key, out);
        for place in 0..n {
            if out[place] != REFUSED && out[place] & DUPLICATE != 0 {
                out[place] = out[(out[place] & !DUPLICATE) as usize];
            }
        }
    }

    /// See [`Store::settle`]; runs are merged while the merged one fits within `limit` bytes.
    fn settle(
        &mut self,
        n: usize,
        key: impl Fn(usize) -> u128,
        room: usize,
        limit: usize,
        out: &mut Vec<u32>,
    ) {
        if !self.sorted {
            out.clear();
            // The keys the table points each one to are fetched meanwhile (the table's lines
            // were, when the configurations were made).
            for k in 0..n {
                let key = key(k);
                self.table.prefetch_key(mix(key), &self.keys);
            }
            let mut stored = 0;
            for k in 0..n {
                let key = key(k);
                out.push(match self.locate(key) {
                    Ok(index) => index,
                    Err(at)
                        if stored < room
                            && self.keys.len() < NEW as usize
                            && self.table.has_room(self.keys.len()) =>
                    {
                        stored += 1;
                        let index = self.keys.len() as u32;
                        self.keys.push(key);
                        if self.table.put(at, index, mix(key)) {
                            self.table.grow(&self.keys, mix);
                        }
                        index | NEW
                    }
                    Err(_) => REFUSED,
                });
            }
            return;
        }
        self.look_up(n, &key, out);
        // In the batch's order: a later place of a key is what its first place became (which
        // comes before it).
        let mut stored = 0;
        for place in 0..n {
            out[place] = match out[place] {
                REFUSED if stored < room && self.keys.len() < NEW as usize => {
                    stored += 1;
                    self.keys.push(key(place));
                    (self.keys.len() - 1) as u32 | NEW
                }
                REFUSED => REFUSED,
                known if known & DUPLICATE != 0 => match out[(known & !DUPLICATE) as usize] {
                    REFUSED => REFUSED,
                    index => index & !NEW,
                },
                index => index,
            };
        }
        if stored == 0 {
            return;
        }
        let mut run = Vec::with_capacity(stored);
        for item in &self.items {
            let index = out[item.low() as usize];
            if index != REFUSED && index & NEW != 0 {
                run.push(E::new(item.mixed(), index & !NEW));
            }
        }
        self.runs.push(Run::new(run));
        // Merged runs are made while the two are held: a merge that would pass `limit` is left
        // for later (more runs to look in, the same answers).
        while let [.., before, last] = self.runs.as_slice()
            && last.entries.len() * 2 >= before.entries.len()
            && self.bytes() + Run::<E>::bytes_for(before.entries.len() + last.entries.len())
                <= limit
        {
            let last = self.runs.pop().expect("two runs");
            let before = self.runs.pop().expect("two runs");
            let mut merged = Vec::with_capacity(before.entries.len() + last.entries.len());
            let (mut a, mut b) = (
                before.entries.iter().peekable(),
                last.entries.iter().peekable(),
            );
            while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
                if x < y {
                    merged.push(x);
                    a.next();
                } else {
                    merged.push(y);
                    b.next();
                }
            }
            merged.extend(a);
            merged.extend(b);
            self.runs.push(Run::new(merged));
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
    Narrow(Sorted<u64>),
    Wide(Sorted<u128>),
    Bytes {
        /// Whole configurations in each chunk.
        arena: Chunked<u8>,
        table: HashTable<u32>,
    },
}

impl Store {
    /// A store for configurations of `width` bytes made of `fields`; packed when they fit and
    /// `pack` allows it.
    pub(crate) fn new(width: usize, layout: &[FieldLayout], pack: bool, sorted: bool) -> Store {
        let packing = Packing::new(layout);
        let kind = if pack && packing.bits <= <u64 as Entry>::BITS {
            Kind::Narrow(Sorted::new(packing.bits, sorted))
        } else if pack && packing.bits <= <u128 as Entry>::BITS {
            Kind::Wide(Sorted::new(packing.bits, sorted))
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
            Kind::Narrow(sorted) => sorted.keys.get(i as usize),
            Kind::Wide(sorted) => sorted.keys.get(i as usize),
            Kind::Bytes { .. } => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        match &self.kind {
            Kind::Narrow(sorted) => sorted.keys.len(),
            Kind::Wide(sorted) => sorted.keys.len(),
            Kind::Bytes { arena, .. } => arena.len() / self.width,
        }
    }

    /// Bytes taken by the configurations and their index.
    pub(crate) fn bytes(&self) -> usize {
        match &self.kind {
            Kind::Narrow(sorted) => sorted.bytes(),
            Kind::Wide(sorted) => sorted.bytes(),
            Kind::Bytes { arena, table } => arena.bytes() + table_bytes(table.capacity()),
        }
    }

    /// Bytes each new configuration adds to [`Store::bytes`], about, besides
    /// [`Store::growth`].
    pub(crate) fn bytes_per_new(&self) -> usize {
        match &self.kind {
            Kind::Narrow(sorted) => sorted.bytes_per_new(),
            Kind::Wide(sorted) => sorted.bytes_per_new(),
            Kind::Bytes { .. } => self.width,
        }
    }

    /// Bytes that looking up `n` configurations may allocate besides [`Store::bytes_per_new`]
    /// each, growing tables held with the ones they replace while they fill.
    pub(crate) fn growth(&self, n: usize) -> usize {
        match &self.kind {
            Kind::Narrow(sorted) => sorted.growth(n),
            Kind::Wide(sorted) => sorted.growth(n),
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

    /// Whether lookups are delayed: batches are sorted and looked up in sorted runs.
    pub(crate) fn is_sorted(&self) -> bool {
        match &self.kind {
            Kind::Narrow(sorted) => sorted.sorted,
            Kind::Wide(sorted) => sorted.sorted,
            Kind::Bytes { .. } => false,
        }
    }

    /// Moves a packed store from its hash table to sorted runs, which take less memory, unless
    /// the runs do not fit beside the table, which is freed once they are made, in `limit`
    /// bytes; whether they are sorted.
    pub(crate) fn sort(&mut self, limit: usize) -> bool {
        match &mut self.kind {
            Kind::Narrow(sorted) => sorted.sort(limit),
            Kind::Wide(sorted) => sorted.sort(limit),
            Kind::Bytes { .. } => false,
        }
    }

    /// Configuration `i` into `out` (`width` bytes).
    pub(crate) fn load(&self, i: u32, out: &mut [u8]) {
        match &self.kind {
            Kind::Narrow(sorted) => {
                let key = sorted.keys.get(i as usize).unwrap_or(0);
                self.packing.unpack(key, out);
            }
            Kind::Wide(sorted) => {
                let key = sorted.keys.get(i as usize).unwrap_or(0);
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
            Kind::Narrow(_) | Kind::Wide(_) => self.probe_key(self.packing.pack(bytes)),
            Kind::Bytes { .. } => Probe(u128::from(hash(bytes))),
        }
    }

    /// [`Store::probe`] for a configuration already packed (in a packed store). While the store
    /// looks configurations up in its hash table, the memory where this one will be looked for
    /// is fetched meanwhile, so that making several successors before looking them up overlaps
    /// the fetches.
    pub(crate) fn probe_key(&self, key: u128) -> Probe {
        match &self.kind {
            Kind::Narrow(sorted) => sorted.prefetch(key),
            Kind::Wide(sorted) => sorted.prefetch(key),
            Kind::Bytes { .. } => {}
        }
        Probe(key)
    }

    /// The index of a packed configuration, if it is stored (in a packed store).
    pub(crate) fn find(&self, probe: Probe) -> Option<u32> {
        match &self.kind {
            Kind::Narrow(sorted) => sorted.find(probe.0),
            Kind::Wide(sorted) => sorted.find(probe.0),
            Kind::Bytes { .. } => None,
        }
    }

    /// [`Store::find`] for many packed configurations at once: sorted, then looked up in
    /// order. Sets `out` to the index of each, or [`REFUSED`] for those not stored.
    pub(crate) fn find_all(
        &mut self,
        n: usize,
        probe: impl Fn(usize) -> Probe,
        out: &mut Vec<u32>,
    ) {
        match &mut self.kind {
            Kind::Narrow(sorted) => sorted.find_all(n, |k| probe(k).0, out),
            Kind::Wide(sorted) => sorted.find_all(n, |k| probe(k).0, out),
            Kind::Bytes { .. } => {
                out.clear();
                out.resize(n, REFUSED);
            }
        }
    }

    /// Stores the configurations that are new among a batch of `n` (`probe(k)` of each, and
    /// their bytes one after the other when the store keeps bytes), the first of equal ones
    /// first, until `room` are stored. Sets `out` to what each is (see [`NEW`]): the indices go
    /// in the order of the batch, as if each were looked up and stored in turn, but a packed
    /// store sorts the batch and looks it up in one pass over its runs instead of a random
    /// probe each.
    ///
    /// Sorted runs are merged only while the store stays within `limit` bytes.
    pub(crate) fn settle(
        &mut self,
        n: usize,
        probe: impl Fn(usize) -> Probe,
        bytes: &[u8],
        room: usize,
        limit: usize,
        out: &mut Vec<u32>,
    ) {
        match &mut self.kind {
            Kind::Narrow(sorted) => sorted.settle(n, |k| probe(k).0, room, limit, out),
            Kind::Wide(sorted) => sorted.settle(n, |k| probe(k).0, room, limit, out),
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
        self.settle(1, |_| probe, bytes, 1, usize::MAX, &mut out);
        (out[0] & !NEW, out[0] & NEW != 0)
    }
}

/// A configuration's packed form (for a packed store), or its hash (for the bytes).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe(u128);

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

    /// Every form of store: bytes, packed in a hash table, packed in sorted runs.
    fn stores(width: usize, layout: &[FieldLayout]) -> [Store; 3] {
        [
            Store::new(width, layout, false, false),
            Store::new(width, layout, true, false),
            Store::new(width, layout, true, true),
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
    /// answers as storing each in turn, in every form, and before and after a table is sorted.
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
                // Every fourth batch leaves no room to merge sorted runs: the same answers.
                let limit = if size % 4 == 0 { 0 } else { usize::MAX };
                for store in &mut stores {
                    let probes: Vec<Probe> = batch.iter().map(|c| store.probe(c)).collect();
                    let mut out = Vec::new();
                    let bytes = batch.concat();
                    store.settle(batch.len(), |k| probes[k], &bytes, room, limit, &mut out);
                    assert_eq!(out, expected, "batch of {size}, room {room}");
                }
                if size == 20 {
                    assert!(!stores[1].sort(0), "no room to sort");
                    assert!(stores[1].sort(usize::MAX));
                    assert!(stores[1].is_sorted());
                }
                // The first `room` of the new ones are stored; the others come again.
                start += room;
                size += 1;
            }
            // One batch of all of them, twice, backwards (sorted by radix).
            let all: Vec<Vec<u8>> = configs.iter().chain(&configs).rev().cloned().collect();
            let expected = one_by_one(&all, 0, &mut seen);
            for store in &mut stores {
                let probes: Vec<Probe> = all.iter().map(|c| store.probe(c)).collect();
                let mut out = Vec::new();
                store.settle(
                    all.len(),
                    |k| probes[k],
                    &all.concat(),
                    0,
                    usize::MAX,
                    &mut out,
                );
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
            let mut store = Store::new(width, &layout, true, false);
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

    /// A chunked array holds what was pushed, in records never split, gives back whole chunks
    /// before an index, and says beforehand what growing takes.
    #[test]
    fn a_chunked_array_holds_its_items_and_knows_its_size() {
        let mut items: Chunked<u32> = Chunked::new();
        let per_chunk = CHUNK_BYTES / 4;
        assert_eq!((items.bytes(), items.growth(0)), (0, 0));
        // A small array takes little.
        let first = items.growth(1);
        assert!(first < 1024, "{first}");
        for i in 0..(3 * per_chunk as u32 + 5) {
            let before = items.bytes();
            let growth = items.growth(1);
            items.push(i);
            assert!(items.bytes() <= before + growth, "item {i}");
        }
        assert_eq!(items.len(), 3 * per_chunk + 5);
        assert_eq!(items.get(per_chunk + 7), Some(per_chunk as u32 + 7));
        assert_eq!(items.get(3 * per_chunk + 5), None);
        let held = items.bytes();
        items.release_before(2 * per_chunk + 1);
        assert_eq!(items.bytes(), held - 2 * CHUNK_BYTES);
        assert_eq!(items.get(3), None, "given back");
        assert_eq!(items.get(2 * per_chunk), Some(2 * per_chunk as u32));

        // Records of 3 bytes: 21 845 to a chunk, whole.
        let mut records: Chunked<u8> = Chunked::records(3);
        for r in 0..50_000u32 {
            records.push_record(&[r as u8, (r >> 8) as u8, 7]);
        }
        for r in [0, 21_844, 21_845, 49_999usize] {
            assert_eq!(records.record(r), &[r as u8, (r >> 8) as u8, 7]);
        }
    }
}
