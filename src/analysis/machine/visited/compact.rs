//! The exploration's per-configuration lists in as few bits as they need: the packed
//! configurations one after the other at exactly their width ([`Keys`]), the hash table of their
//! indices ([`Table`]), and the ranges of a list that runs in configuration order ([`Ranges`]) —
//! the configurations each one found first ([`Parents`]) and the moves stored from each
//! ([`Edges`]) — in about half a byte per configuration each.
//!
//! Why ranges: the exploration is breadth first and numbers configurations in the order it first
//! sees them, so the configurations first found from configuration `p` are the ones numbered
//! just after those first found from `p - 1`. A parent is then where its children's range is, not
//! four bytes per child; and the moves from each configuration are a range of the list of moves.

use std::cell::Cell;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::{Chunked, mask};

/// Packed configurations of `bits` bits each (at most 128), one after the other in 64-bit words:
/// a configuration of 36 bits takes 4.5 bytes, not 8 or 16.
pub(crate) struct Keys {
    words: Chunked<u64>,
    bits: u32,
    /// The low `bits` bits set.
    mask: u128,
    len: usize,
    /// The bits of the word being filled (its low `fill` bits), not yet in `words`.
    tail: u64,
    fill: u32,
}

impl Keys {
    pub(crate) fn new(bits: u32) -> Keys {
        Keys {
            words: Chunked::new(),
            bits: bits.min(128),
            mask: mask(bits.min(128)),
            len: 0,
            tail: 0,
            fill: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Bits of a key.
    pub(crate) fn bits(&self) -> u32 {
        self.bits
    }

    /// Appends a key (its low `bits` bits).
    pub(crate) fn push(&mut self, key: u128) {
        let (mut key, mut bits) = (key & self.mask, self.bits);
        while bits > 0 {
            let take = bits.min(64 - self.fill);
            self.tail |= ((key & mask(take)) as u64) << self.fill;
            self.fill += take;
            key = key.checked_shr(take).unwrap_or(0);
            bits -= take;
            if self.fill == 64 {
                self.words.push(self.tail);
                (self.tail, self.fill) = (0, 0);
            }
        }
        self.len += 1;
    }

    /// Word `w` of the keys, the one being filled included.
    #[inline]
    fn word(&self, w: usize) -> u64 {
        self.words.get(w).unwrap_or(self.tail)
    }

    /// Key `i`, unless it is past the end.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<u128> {
        if i >= self.len {
            return None;
        }
        let start = i * self.bits as usize;
        let (w, offset) = (start / 64, (start % 64) as u32);
        let end = offset + self.bits;
        if self.bits <= 64 {
            // In one or two words, with 64-bit shifts (`offset` is above 0 when it takes two);
            // the word being filled is the last.
            let (low, high) = match self.words.pair(w) {
                (Some(low), high) => (low, high.unwrap_or(self.tail)),
                (None, _) => (self.tail, 0),
            };
            let mut key = low >> offset;
            if end > 64 {
                key |= high << (64 - offset);
            }
            return Some(u128::from(key) & self.mask);
        }
        let mut key = u128::from(self.word(w)) >> offset;
        if end > 64 {
            key |= u128::from(self.word(w + 1)) << (64 - offset);
        }
        if end > 128 {
            key |= u128::from(self.word(w + 2)) << (128 - offset);
        }
        Some(key & self.mask)
    }

    /// Asks for the cache line of key `i`.
    #[inline]
    pub(crate) fn prefetch(&self, i: usize) {
        if let Some(word) = self.words.at(i * self.bits as usize / 64) {
            super::prefetch(word);
        }
    }

    /// The keys in order, read word after word (those of more than 64 bits one by one).
    pub(crate) fn iter(&self) -> impl Iterator<Item = u128> + '_ {
        // `buffer` holds `held` bits not yet given out; the next word is read when it runs short.
        let (mut buffer, mut held, mut next) = (0u128, 0u32, 0usize);
        (0..self.len).map(move |i| {
            if self.bits > 64 {
                return self.get(i).unwrap_or(0);
            }
            if held < self.bits {
                buffer |= u128::from(self.word(next)) << held;
                next += 1;
                held += 64;
            }
            let key = buffer & self.mask;
            buffer >>= self.bits;
            held -= self.bits;
            key
        })
    }

    pub(crate) fn bytes(&self) -> usize {
        self.words.bytes()
    }

    /// Bytes that `n` more keys may add to [`Keys::bytes`] at its peak.
    pub(crate) fn growth(&self, n: usize) -> usize {
        let bits = u64::from(self.fill) + n as u64 * u64::from(self.bits);
        self.words.growth(bits.div_ceil(64) as usize)
    }
}

/// Lengths at or above this one are kept in [`Ranges::long`].
const LONG: u8 = 15;
/// Every this many items, where the item's range starts is kept.
const STEP: usize = 64;

/// Consecutive ranges of a list, one per item in order: each range's length in four bits (two
/// to a byte; longer ones on the side), and where every [`STEP`]th item's range starts. Finding
/// a range, or the item a place of the list is in, looks at fewer than [`STEP`] lengths (or
/// walks from the one asked for last).
#[derive(Default)]
pub(crate) struct Ranges {
    /// Two lengths a byte, the first in the low four bits.
    lengths: Chunked<u8>,
    /// The length of an odd item not yet in `lengths`.
    half: Option<u8>,
    items: usize,
    long: FxHashMap<u32, u32>,
    /// Where the range of item `STEP * k` starts.
    starts: Chunked<u64>,
    /// The places of the list so far (where the next range starts).
    end: u64,
    /// The item last asked for, and where its range starts: the next one asked for is most
    /// often that one or one beside it (the moves of the configurations in order, a witness
    /// going back one move at a time).
    last: Cell<(usize, u64)>,
}

impl Ranges {
    /// Items.
    pub(crate) fn len(&self) -> usize {
        self.items
    }

    /// The places of the list so far.
    pub(crate) fn end(&self) -> u64 {
        self.end
    }

    /// Adds the next item, whose range has `len` places.
    pub(crate) fn push(&mut self, len: u64) {
        let item = self.items;
        if item.is_multiple_of(STEP) {
            self.starts.push(self.end);
        }
        let short = if len >= u64::from(LONG) {
            self.long.insert(item as u32, len as u32);
            LONG
        } else {
            len as u8
        };
        match self.half.take() {
            Some(low) => self.lengths.push(low | short << 4),
            None => self.half = Some(short),
        }
        self.items += 1;
        self.end += len;
    }

    #[inline]
    fn length(&self, item: usize) -> u64 {
        let pair = match self.lengths.get(item / 2) {
            Some(pair) => pair,
            None if item < self.items => self.half.unwrap_or(0),
            None => return 0,
        };
        match pair >> (4 * (item % 2)) & 0xf {
            LONG => self.long.get(&(item as u32)).map_or(0, |&l| u64::from(l)),
            l => u64::from(l),
        }
    }

    /// The length of every item's range, in order: each byte of lengths read once.
    pub(crate) fn lengths(&self) -> impl Iterator<Item = u64> + '_ {
        let pairs = self.lengths.iter().chain(self.half);
        let nibbles = pairs.flat_map(|pair| [pair & 0xf, pair >> 4]);
        nibbles
            .take(self.items)
            .enumerate()
            .map(|(item, short)| match short {
                LONG => self.long.get(&(item as u32)).map_or(0, |&l| u64::from(l)),
                l => u64::from(l),
            })
    }

    /// The places of item `item`'s range (empty past the last item).
    pub(crate) fn range(&self, item: usize) -> Range<u64> {
        if item >= self.len() {
            return self.end..self.end;
        }
        let (last, mut start) = self.last.get();
        if item < last && last - item <= STEP {
            // Back from the last asked for (a pass from the last configuration to the first):
            // its own length is the first read, and read once.
            let length = self.length(item);
            start -= length;
            for before in item + 1..last {
                start -= self.length(before);
            }
            self.last.set((item, start));
            return start..start + length;
        }
        if last <= item && item - last <= STEP {
            for before in last..item {
                start += self.length(before);
            }
        } else {
            let block = item / STEP;
            start = self.starts.get(block).unwrap_or(0);
            for before in block * STEP..item {
                start += self.length(before);
            }
        }
        self.last.set((item, start));
        start..start + self.length(item)
    }

    /// The item whose range holds place `at`, if one does.
    #[cfg(test)]
    pub(crate) fn item_at(&self, at: u64) -> Option<usize> {
        self.locate(at)
    }

    /// The item whose range holds place `at`, if one does: found by walking from the one last
    /// asked for when it is near, else in the block of [`STEP`] items it is in.
    pub(crate) fn locate(&self, at: u64) -> Option<usize> {
        if at >= self.end {
            return None;
        }
        let (mut item, mut start) = self.last.get();
        for _ in 0..STEP {
            let len = self.length(item);
            if at < start {
                item -= 1;
                start -= self.length(item);
            } else if at >= start + len {
                start += len;
                item += 1;
            } else {
                self.last.set((item, start));
                return Some(item);
            }
        }
        // The last block starting at or before `at`.
        let (mut low, mut high) = (0, self.starts.len());
        while high - low > 1 {
            let middle = (low + high) / 2;
            if self.starts.get(middle).unwrap_or(u64::MAX) <= at {
                low = middle;
            } else {
                high = middle;
            }
        }
        let mut start = self.starts.get(low).unwrap_or(0);
        for item in low * STEP..self.len() {
            let end = start + self.length(item);
            if at < end {
                self.last.set((item, start));
                return Some(item);
            }
            start = end;
        }
        None
    }

    pub(crate) fn bytes(&self) -> usize {
        self.lengths.bytes()
            + self.starts.bytes()
            + super::hash_table_bytes(self.long.capacity(), 8)
    }

    /// Bytes that `n` more items may add at the peak (a long one each, at worst, is not
    /// counted: it takes eight bytes in a table that grows rarely).
    pub(crate) fn growth(&self, n: usize) -> usize {
        let long = if self.long.len() == self.long.capacity() {
            super::hash_table_bytes(self.long.capacity() * 2 + 8, 8)
        } else {
            0
        };
        self.lengths.growth(n.div_ceil(2)) + self.starts.growth(n.div_ceil(STEP) + 1) + long
    }
}

/// Equal when they hold the same ranges.
impl PartialEq for Ranges {
    fn eq(&self, other: &Ranges) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.range(i) == other.range(i))
    }
}

impl std::fmt::Debug for Ranges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries((0..self.len()).map(|i| self.range(i)))
            .finish()
    }
}

/// A configuration's parent: none for those made from initial values, which come first.
pub(crate) const NO_PARENT: u32 = u32::MAX;

/// The configuration each stored configuration was first found from (its parent, for the
/// witnesses' paths), given in order of the configurations: parents never go down, since the
/// exploration is breadth first. Kept as the range of children of each parent ([`Ranges`]):
/// about half a byte per configuration.
#[derive(Default)]
pub(crate) struct Parents {
    /// Configurations without a parent (the first ones).
    initial: u64,
    /// Per configuration before `current`, its children.
    children: Ranges,
    /// The last parent given, and its children so far.
    current: u32,
    count: u64,
}

impl Parents {
    /// Configurations.
    pub(crate) fn len(&self) -> usize {
        (self.initial + self.children.end() + self.count) as usize
    }

    /// The next configuration's parent: [`NO_PARENT`], or one at least the last one given.
    pub(crate) fn push(&mut self, parent: u32) {
        if parent == NO_PARENT {
            debug_assert!(self.len() == self.initial as usize, "initial ones first");
            self.initial += 1;
            return;
        }
        debug_assert!(parent >= self.current, "parents in order");
        while self.current < parent {
            self.children.push(self.count);
            self.current += 1;
            self.count = 0;
        }
        self.count += 1;
    }

    /// Configuration `i`'s parent ([`NO_PARENT`] for one made from initial values), unless it is
    /// past the end.
    pub(crate) fn get(&self, i: usize) -> Option<u32> {
        let i = i as u64;
        if i >= self.len() as u64 {
            return None;
        }
        if i < self.initial {
            return Some(NO_PARENT);
        }
        Some(match self.children.locate(i - self.initial) {
            Some(parent) => parent as u32,
            None => self.current,
        })
    }

    /// Every configuration's parent, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let children = (self.children.lengths().enumerate())
            .flat_map(|(p, len)| std::iter::repeat_n(p as u32, len as usize));
        std::iter::repeat_n(NO_PARENT, self.initial as usize)
            .chain(children)
            .chain(std::iter::repeat_n(self.current, self.count as usize))
    }

    pub(crate) fn bytes(&self) -> usize {
        self.children.bytes()
    }

    /// Bytes that `n` more configurations may add at the peak: at worst, each is another
    /// parent's first child, after parents without children (a byte each, within a chunk).
    pub(crate) fn growth(&self, n: usize) -> usize {
        self.children.growth(n + (1 << 16))
    }
}

/// The moves stored from each configuration explored, in order: the configurations they lead
/// to (with [`super::machine`]'s mark of reversible moves), and the range of each
/// configuration's among them ([`Ranges`]).
#[derive(Default, PartialEq, Debug)]
pub(crate) struct Edges {
    ranges: Ranges,
    targets: Chunked<u32>,
}

impl Edges {
    /// Adds a move from the configuration being explored.
    pub(crate) fn push(&mut self, target: u32) {
        self.targets.push(target);
    }

    /// Ends the moves of the configuration being explored: the next ones are the next
    /// configuration's.
    pub(crate) fn close(&mut self) {
        let len = self.targets.len() as u64 - self.ranges.end();
        self.ranges.push(len);
    }

    /// Configurations explored (their moves closed).
    pub(crate) fn explored(&self) -> usize {
        self.ranges.len()
    }

    /// Moves stored.
    pub(crate) fn moves(&self) -> usize {
        self.targets.len()
    }

    /// The targets of the moves from configuration `from`.
    pub(crate) fn from(&self, from: usize) -> impl Iterator<Item = u32> + '_ {
        let range = self.ranges.range(from);
        (range.start as usize..range.end as usize).filter_map(|k| self.targets.get(k))
    }

    pub(crate) fn bytes(&self) -> usize {
        self.ranges.bytes() + self.targets.bytes()
    }

    /// Bytes that `explored` more configurations with `moves` moves may add at the peak.
    pub(crate) fn growth(&self, explored: usize, moves: usize) -> usize {
        self.ranges.growth(explored) + self.targets.growth(moves)
    }
}

/// An empty slot of a [`Table`]: no index has all ones in its low bits (the table has more
/// slots than indices).
const EMPTY: u32 = u32::MAX;
/// A [`Table`] is at most this many eighths full.
const EIGHTHS_FULL: usize = 7;

/// Keys whose slots [`Table::grow`] asks for ahead of writing them.
const AHEAD: usize = 16;
/// A [`Table`] has at most `1 << MAX_SHIFT` slots (so an index and one bit of hash fit a slot).
const MAX_SHIFT: u32 = 31;

/// The hash table that finds a packed configuration's index: open addressing, linear probing,
/// at most 7/8 full, four bytes a slot. A table of `1 << shift` slots holds fewer indices than
/// that, so an index takes the low `shift` bits of its slot; the bits above hold as many bits of
/// the configuration's hash (a fingerprint), so that a slot of another configuration is passed
/// over without looking at its key, but for one in `1 << (32 - shift)`. The keys themselves are
/// in [`Keys`], in index order: a slot whose fingerprint matches is checked against its key
/// there, and the table is rebuilt from them when it doubles, the old one freed first, so it
/// never holds two tables at once.
pub(crate) struct Table {
    slots: Vec<u32>,
    shift: u32,
}

impl Table {
    /// A table of 64 slots.
    pub(crate) fn new() -> Table {
        Table {
            slots: vec![EMPTY; 64],
            shift: 6,
        }
    }

    /// The low bits of a slot, for the index.
    fn index_mask(&self) -> u32 {
        (1u32 << self.shift) - 1
    }

    /// Where a configuration with hash `h` is looked for first (the top bits of `h`).
    #[inline]
    fn home(&self, h: u64) -> usize {
        (h >> (64 - self.shift)) as usize
    }

    /// The index of `key` (hash `h`) among `keys`, or the empty slot where it would go.
    #[inline]
    pub(crate) fn locate(&self, key: u128, h: u64, keys: &Keys) -> Result<u32, usize> {
        self.walk(h, |i| keys.get(i as usize) == Some(key))
    }

    /// Asks for the cache line of the key of the first slot whose fingerprint matches a
    /// configuration with hash `h` (most often, that configuration's).
    #[inline]
    pub(crate) fn prefetch_key(&self, h: u64, keys: &Keys) {
        let _ = self.walk(h, |i| {
            keys.prefetch(i as usize);
            true
        });
    }

    /// Walks the slots from where a configuration with hash `h` is looked for first: the first
    /// index whose fingerprint matches and that `is` takes, or the empty slot where it would go.
    #[inline]
    fn walk(&self, h: u64, mut is: impl FnMut(u32) -> bool) -> Result<u32, usize> {
        let index = self.index_mask();
        let fingerprint = h as u32 & !index;
        let wrap = self.slots.len() - 1;
        let mut at = self.home(h);
        loop {
            let slot = self.slots[at];
            if slot == EMPTY {
                return Err(at);
            }
            if slot & !index == fingerprint && is(slot & index) {
                return Ok(slot & index);
            }
            at = (at + 1) & wrap;
        }
    }

    /// Asks for the cache line where a configuration with hash `h` is looked for first.
    #[inline]
    pub(crate) fn prefetch(&self, h: u64) {
        if let Some(slot) = self.slots.get(self.home(h)) {
            super::prefetch(slot);
        }
    }

    /// Puts index `index` of a configuration with hash `h` in empty slot `at` (from
    /// [`Table::locate`]); whether the table must now grow ([`Table::grow`]).
    pub(crate) fn put(&mut self, at: usize, index: u32, h: u64) -> bool {
        self.slots[at] = index | (h as u32 & !self.index_mask());
        Self::too_full(index as usize + 1, self.slots.len())
    }

    fn too_full(len: usize, slots: usize) -> bool {
        len * 8 > slots * EIGHTHS_FULL
    }

    /// Whether one more index fits (the table may grow to hold it).
    pub(crate) fn has_room(&self, len: usize) -> bool {
        self.shift < MAX_SHIFT || !Self::too_full(len + 1, self.slots.len())
    }

    /// Doubles the table, unless it is as large as it gets, and puts the indices of `keys` back,
    /// `hash` giving each one's hash: the old table freed first.
    pub(crate) fn grow(&mut self, keys: &Keys, hash: impl Fn(u128) -> u64) {
        if self.shift >= MAX_SHIFT {
            return;
        }
        let len = self.slots.len() * 2;
        self.slots = Vec::new();
        self.slots = vec![EMPTY; len];
        self.shift += 1;
        let wrap = len - 1;
        let index = self.index_mask();
        // The slots are written in no order: each one's line is asked for [`AHEAD`] keys
        // before it is written, so that the fetches overlap.
        let mut hashes = keys.iter().map(&hash);
        let mut ahead = [0u64; AHEAD];
        for (k, h) in ahead.iter_mut().zip(hashes.by_ref()) {
            *k = h;
            self.prefetch(h);
        }
        for i in 0..keys.len() {
            let h = ahead[i % AHEAD];
            if let Some(next) = hashes.next() {
                ahead[i % AHEAD] = next;
                self.prefetch(next);
            }
            let mut at = self.home(h);
            while self.slots[at] != EMPTY {
                at = (at + 1) & wrap;
            }
            self.slots[at] = i as u32 | (h as u32 & !index);
        }
    }

    pub(crate) fn bytes(&self) -> usize {
        self.slots.capacity() * 4
    }

    /// Bytes that `n` more indices, `len` held, may add at the peak: the table they make it
    /// double into, less the one freed before.
    pub(crate) fn growth(&self, len: usize, n: usize) -> usize {
        let mut slots = self.slots.len();
        while slots > 0 && Self::too_full(len + n, slots) && slots < 1 << MAX_SHIFT {
            slots *= 2;
        }
        (slots - self.slots.len()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_any_width_come_back_as_they_went_in() {
        for bits in [0, 1, 5, 31, 32, 36, 41, 63, 64, 65, 96, 127, 128] {
            let mut keys = Keys::new(bits);
            let key =
                |i: u128| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835)) & mask(bits);
            // Enough for a few chunks of words: keys across the end of one.
            let n = 40_000;
            for i in 0..n {
                keys.push(key(i));
                assert_eq!(keys.get(i as usize), Some(key(i)), "{bits} bits, key {i}");
            }
            assert_eq!(keys.len(), n as usize);
            assert_eq!(keys.get(n as usize), None);
            assert!(
                (0..n).all(|i| keys.get(i as usize) == Some(key(i))),
                "{bits} bits"
            );
            assert!(keys.iter().eq((0..n).map(key)), "{bits} bits");
            // Exactly `bits` bits each, in chunks.
            let words = (n as usize * bits as usize).div_ceil(64);
            assert!(keys.bytes() <= words * 8 + (1 << 16), "{bits} bits");
        }
    }

    #[test]
    fn keys_know_what_growing_takes() {
        let mut keys = Keys::new(41);
        for i in 0..100_000u128 {
            let (before, growth) = (keys.bytes(), keys.growth(1));
            keys.push(i);
            assert!(keys.bytes() <= before + growth, "key {i}");
        }
        // 41 bits each: about 5.1 bytes.
        assert!(
            keys.bytes() < 100_000 * 52 / 10 + (1 << 16),
            "{}",
            keys.bytes()
        );
    }

    #[test]
    fn ranges_give_each_item_its_range_and_each_place_its_item() {
        let mut ranges = Ranges::default();
        let lengths: Vec<u64> = (0..1000u64)
            .map(|i| [0, 1, 3, 0, 300, 2][i as usize % 6] * (i % 5))
            .collect();
        for &l in &lengths {
            ranges.push(l);
        }
        let mut start = 0;
        for (item, &l) in lengths.iter().enumerate() {
            assert_eq!(ranges.range(item), start..start + l, "item {item}");
            for at in start..start + l {
                assert_eq!(ranges.item_at(at), Some(item), "place {at}");
            }
            start += l;
        }
        assert_eq!(ranges.end(), start);
        assert_eq!(ranges.item_at(start), None);
        assert_eq!(ranges.range(1000), start..start);
        // From the last to the first, each the one before the one asked for last.
        let starts: Vec<u64> = lengths
            .iter()
            .scan(0, |start, &l| Some(std::mem::replace(start, *start + l)))
            .collect();
        for item in (0..1000).rev() {
            let start = starts[item];
            assert_eq!(
                ranges.range(item),
                start..start + lengths[item],
                "item {item}"
            );
        }
        // In order, with an even and an odd number of items (the last one in half a byte).
        assert!(ranges.lengths().eq(lengths.iter().copied()));
        ranges.push(7);
        assert!(ranges.lengths().eq(lengths.iter().copied().chain([7])));
    }

    #[test]
    fn parents_come_back_from_the_ranges_of_children() {
        let mut parents = Parents::default();
        let mut expected = vec![NO_PARENT; 3];
        for _ in 0..3 {
            parents.push(NO_PARENT);
        }
        // Parents in order, some with no children, one with hundreds.
        for p in 0..2000u32 {
            let children = match p % 7 {
                0 | 3 => 0,
                5 if p == 705 => 600,
                k => k as usize,
            };
            for _ in 0..children {
                parents.push(p);
                expected.push(p);
            }
        }
        assert_eq!(parents.len(), expected.len());
        assert!(parents.iter().eq(expected.iter().copied()));
        for (i, &p) in expected.iter().enumerate() {
            assert_eq!(parents.get(i), Some(p), "configuration {i}");
        }
        assert_eq!(parents.get(expected.len()), None);
        // About half a byte per parent, not four per configuration.
        assert!(parents.bytes() < expected.len(), "{}", parents.bytes());
    }

    #[test]
    fn edges_are_listed_per_configuration() {
        let mut edges = Edges::default();
        for from in 0..500u32 {
            for k in 0..from % 4 {
                edges.push(from * 10 + k);
            }
            edges.close();
        }
        assert_eq!(edges.explored(), 500);
        for from in 0..500u32 {
            let expected: Vec<u32> = (0..from % 4).map(|k| from * 10 + k).collect();
            assert_eq!(edges.from(from as usize).collect::<Vec<_>>(), expected);
        }
        assert_eq!(edges.from(500).count(), 0);
    }
}
