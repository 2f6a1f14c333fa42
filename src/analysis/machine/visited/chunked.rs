//! An append-only array in chunks ([`Chunked`]): the memory it will take is known before it
//! grows, and the chunks before an index can be given back (the queue of configurations waiting
//! to be explored, the packed keys, the bytes of wide configurations).

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
    /// Chunks given back, the first ones ([`Chunked::release_before`]).
    released: usize,
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
            released: 0,
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
        let per_chunk = self.per_chunk();
        // Most often the last chunk has room for the record: it is the one it goes in (those
        // before it are full), found without working out which (a division per record).
        let last = self.chunks.len().wrapping_sub(1);
        if let Some(chunk) = self.chunks.get(last)
            && chunk.len() + self.record <= chunk.capacity().min(per_chunk)
        {
            return &mut self.chunks[last];
        }
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

    /// Items `i` and `i + 1`, each unless it is past the end or given back: the second from
    /// the same chunk when it is there (most often), without finding the chunk again.
    #[inline]
    pub(crate) fn pair(&self, i: usize) -> (Option<T>, Option<T>) {
        let mask = (1 << self.shift) - 1;
        let Some(chunk) = self.chunks.get(i >> self.shift) else {
            return (None, None);
        };
        let at = i & mask;
        match chunk.get(at..at + 2) {
            Some(&[first, second]) => (Some(first), Some(second)),
            _ => (chunk.get(at).copied(), self.get(i + 1)),
        }
    }

    /// Record `r`.
    pub(crate) fn record(&self, r: usize) -> &[T] {
        let mask = (1 << self.shift) - 1;
        let at = (r & mask) * self.record;
        &self.chunks[r >> self.shift][at..at + self.record]
    }

    /// Gives back the chunks that hold only items before item `i`: they are not read again.
    pub(crate) fn release_before(&mut self, i: usize) {
        let before = ((i / self.record) >> self.shift).min(self.chunks.len());
        for chunk in self.chunks.iter_mut().take(before).skip(self.released) {
            self.reserved -= chunk.capacity();
            *chunk = Vec::new();
        }
        self.released = self.released.max(before);
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // Two at a time: within a chunk, across the end of one, at the end of the array.
        for i in [
            0,
            7,
            per_chunk - 1,
            2 * per_chunk - 1,
            3 * per_chunk + 4,
            3 * per_chunk + 5,
        ] {
            assert_eq!(items.pair(i), (items.get(i), items.get(i + 1)), "item {i}");
        }
        let held = items.bytes();
        items.release_before(2 * per_chunk + 1);
        assert_eq!(items.bytes(), held - 2 * CHUNK_BYTES);
        assert_eq!(items.get(3), None, "given back");
        assert_eq!(items.get(2 * per_chunk), Some(2 * per_chunk as u32));
        // Asked again, or for less, it gives back nothing more; then the next chunk, once.
        items.release_before(2 * per_chunk + 1);
        items.release_before(per_chunk);
        assert_eq!(items.bytes(), held - 2 * CHUNK_BYTES);
        items.release_before(3 * per_chunk);
        items.release_before(3 * per_chunk + 1);
        assert_eq!(items.bytes(), held - 3 * CHUNK_BYTES);
        assert_eq!(items.get(3 * per_chunk + 4), Some(3 * per_chunk as u32 + 4));

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
