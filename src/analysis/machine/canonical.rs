//! The canonical form under symmetry ([`Layer::Symmetry`](super::Layer::Symmetry)): the
//! instances of a group whose order cannot matter ([`Symmetric`]) are sorted, bottom up, in the
//! bytes ([`Shape::canonical`]) and in the packed form ([`Shape::canonical_key`], which moves the
//! one child that changed to its place, [`bubble`]); of several identical children only the
//! first receives events ([`Shape::skipped`]).

use super::space::Shape;
use super::visited::mask;

/// A group of identical children whose order does not matter: `count` subtrees of `instances`
/// instances and `bytes` bytes each, starting at instance `first` and byte `start`.
#[derive(Debug)]
pub(super) struct Symmetric {
    pub(super) first: u32,
    pub(super) instances: u32,
    pub(super) count: u32,
    pub(super) start: u32,
    pub(super) bytes: u32,
    /// In the packed configuration: the lowest bit of the last child, and the bits of each.
    pub(super) low: u32,
    pub(super) bits: u32,
    /// [`Symmetric::in_low_word`], worked out once.
    low_word: bool,
}

impl Symmetric {
    pub(super) fn new(
        (first, instances, count): (u32, u32, u32),
        (start, bytes): (u32, u32),
        (low, bits): (u32, u32),
    ) -> Symmetric {
        Symmetric {
            first,
            instances,
            count,
            start,
            bytes,
            low,
            bits,
            low_word: low + count * bits < 64,
        }
    }

    /// Whether its children all lie in the low 64 bits of a packed configuration, below its
    /// top bit: then they are read and moved with 64-bit arithmetic (every shift below 64).
    #[inline]
    pub(super) fn in_low_word(&self) -> bool {
        self.low_word
    }
}

/// Bits of a packed configuration, as a 64- or 128-bit number.
pub(super) trait Bits:
    Copy
    + Ord
    + std::ops::Shl<u32, Output = Self>
    + std::ops::Shr<u32, Output = Self>
    + std::ops::BitAnd<Output = Self>
    + std::ops::BitOr<Output = Self>
    + std::ops::Not<Output = Self>
{
    fn mask(bits: u32) -> Self;
}

impl Bits for u64 {
    #[inline]
    fn mask(bits: u32) -> u64 {
        if bits >= 64 {
            u64::MAX
        } else {
            (1 << bits) - 1
        }
    }
}

impl Bits for u128 {
    #[inline]
    fn mask(bits: u32) -> u128 {
        mask(bits)
    }
}

/// Moves child `k` of `group`, the only one out of place, to its place among the others (a
/// step of insertion sort over the packed children, first child highest): up past those above
/// it that are greater, or else down past those below it that are less, one field at a time.
pub(super) fn bubble<B: Bits>(key: &mut B, group: &Symmetric, k: usize) {
    let (bits, count) = (group.bits, group.count);
    let m = B::mask(bits);
    // Where the gap is (the lowest bit of the child there), and where the first child is.
    let (top, mut at) = (
        group.low + (count - 1) * bits,
        group.low + (count - 1 - k as u32) * bits,
    );
    let moved = (*key >> at) & m;
    let mut rest = *key & !(m << at);
    let up = at < top && (rest >> (at + bits)) & m > moved;
    if up {
        while at < top {
            let above = (rest >> (at + bits)) & m;
            if above <= moved {
                break;
            }
            rest = rest & !(m << (at + bits)) | above << at;
            at += bits;
        }
    } else {
        while at > group.low {
            let below = (rest >> (at - bits)) & m;
            if below >= moved {
                break;
            }
            rest = rest & !(m << (at - bits)) | below << at;
            at -= bits;
        }
    }
    *key = rest | moved << at;
}

impl Shape {
    /// Sorts the children of every symmetric group, deepest first.
    pub(super) fn canonical(&self, bytes: &mut [u8], scratch: &mut Vec<u8>, order: &mut Vec<u32>) {
        for group in &self.symmetric {
            let (start, len, count) = (
                group.start as usize,
                group.bytes as usize,
                group.count as usize,
            );
            let region = &bytes[start..start + len * count];
            let sorted = region
                .chunks_exact(len)
                .zip(region.chunks_exact(len).skip(1))
                .all(|(a, b)| a <= b);
            if sorted {
                continue;
            }
            order.clear();
            order.extend(0..group.count);
            order.sort_by(|&a, &b| {
                let a = &region[a as usize * len..(a as usize + 1) * len];
                let b = &region[b as usize * len..(b as usize + 1) * len];
                a.cmp(b)
            });
            scratch.clear();
            for &k in order.iter() {
                scratch.extend_from_slice(&region[k as usize * len..(k as usize + 1) * len]);
            }
            bytes[start..start + len * count].copy_from_slice(scratch);
        }
    }

    /// [`Shape::canonical`] for a packed configuration in which only instance `changed` differs
    /// from a canonical one: that instance's subtree is moved to its place in each group it is
    /// in, deepest first. Packed children compare as their bytes do, so the result is the packed
    /// form of what [`Shape::canonical`] makes of the bytes.
    pub(super) fn canonical_key(&self, key: &mut u128, changed: usize) {
        for &(g, k) in &self.containing[changed] {
            let group = &self.symmetric[g as usize];
            if group.bits == 0 {
                // Children with one configuration each: nothing to order.
                continue;
            }
            if group.in_low_word() {
                // The whole group in the low word (the common case): 64-bit arithmetic.
                let mut low = *key as u64;
                bubble(&mut low, group, k as usize);
                *key = *key & !u128::from(u64::MAX) | u128::from(low);
            } else {
                bubble(key, group, k as usize);
            }
        }
    }

    /// The packed configuration, in canonical order, that `hole` (a packed configuration with
    /// instance `i`'s bits cleared, at `low`) makes with the instance packed as `after`.
    pub(super) fn moved(&self, hole: u128, low: u32, i: usize, after: u64) -> u128 {
        let mut successor = hole | u128::from(after) << low;
        self.canonical_key(&mut successor, i);
        successor
    }

    /// Instances that receive no events in configuration `bytes`: each identical to its previous
    /// sibling in a symmetric group, with its subtree.
    pub(super) fn skipped(&self, bytes: &[u8], skip: &mut [bool]) {
        skip.fill(false);
        for group in &self.symmetric {
            let len = group.bytes as usize;
            for k in 1..group.count as usize {
                let at = group.start as usize + k * len;
                if bytes[at - len..at] == bytes[at..at + len] {
                    let first = group.first as usize + k * group.instances as usize;
                    skip[first..first + group.instances as usize].fill(true);
                }
            }
        }
    }

    /// [`Shape::skipped`] for a packed configuration.
    pub(super) fn skipped_key(&self, key: u128, skip: &mut [bool]) {
        skip.fill(false);
        for group in &self.symmetric {
            if group.in_low_word() {
                skipped_in(key as u64, group, skip);
            } else {
                skipped_in(key, group, skip);
            }
        }
    }
}

/// Marks in `skip` the children of `group` identical to the one before them in packed
/// configuration `key`.
#[inline]
fn skipped_in<B: Bits>(key: B, group: &Symmetric, skip: &mut [bool]) {
    // The last child is in the lowest bits: from it to the first, each child is read once and
    // compared with the one before it.
    let each = B::mask(group.bits);
    let mut rest = key >> group.low;
    let mut later = rest & each;
    for k in (1..group.count).rev() {
        rest = rest >> group.bits;
        let earlier = rest & each;
        if earlier == later {
            let first = (group.first + k * group.instances) as usize;
            match group.instances {
                // The common case, without a call to fill a slice of one.
                1 => skip[first] = true,
                n => skip[first..first + n as usize].fill(true),
            }
        }
        later = earlier;
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::machine::explore;
    use crate::analysis::machine::test_support::*;
    use crate::analysis::machine::visited::mask;
    use crate::model::MachineId;
    use crate::sim::machine::Compiled;

    /// The 64-bit ways of reading a packed configuration (identical children, where a child
    /// goes among them, what a remembered instance sees) read what the 128-bit ways read, on
    /// every configuration of a pool.
    #[test]
    fn the_64_bit_readings_are_the_128_bit_ones() {
        use crate::analysis::machine::memo::place_among;
        let p = program(POOL);
        let c = Compiled::new(&p).expect("compiles");
        let x = explore(&p, &c, MachineId::from_index(1), limits(4));
        let space = &x.space;
        let slots: Vec<_> = space.shape.local.iter().flatten().collect();
        assert!(!slots.is_empty() && slots.iter().all(|s| s.low_word));
        let n = space.slots.len();
        for i in 0..x.configs as u32 {
            let key = space.store.key(i).expect("packed");
            for group in &space.shape.symmetric {
                let (mut narrow, mut wide) = (vec![false; n], vec![false; n]);
                super::skipped_in(key as u64, group, &mut narrow);
                super::skipped_in(key, group, &mut wide);
                assert_eq!(narrow, wide, "configuration {i}");
                for k in 0..group.count as usize {
                    for after in 0..1u64 << group.bits {
                        let narrow = place_among(key as u64, group, k, after);
                        let wide = place_among(key, group, k, u128::from(after));
                        assert_eq!(narrow, wide, "configuration {i}, child {k}");
                    }
                }
            }
            for slot in &slots {
                let wide = super::super::memo::LocalSlot {
                    low_word: false,
                    ..(*slot).clone()
                };
                assert_eq!(slot.list_key(key), wide.list_key(key), "configuration {i}");
            }
        }
    }

    #[test]
    fn identical_children_are_one_configuration_whatever_their_order() {
        // Each of 3 identical children is A or B: 4 multisets, not 8 arrangements.
        assert_eq!(explore_pool(3, 1000), (None, 4));
    }

    /// Every configuration of a pool of three identical workers, its workers in each of the six
    /// orders, has one canonical form, in bytes; and a configuration in which one child changed
    /// is put in that form in its packed form as in its bytes.
    #[test]
    fn the_canonical_form_does_not_depend_on_the_order_of_identical_children() {
        let p = program(POOL);
        let c = Compiled::new(&p).expect("compiles");
        let x = explore(&p, &c, MachineId::from_index(1), limits(3));
        let space = &x.space;
        let group = &space.shape.symmetric[0];
        assert_eq!(group.count, 3);
        let (start, len) = (group.start as usize, group.bytes as usize);
        let orders = [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ];
        let (mut scratch, mut order) = (Vec::new(), Vec::new());
        let packing = space.store.packing();
        for i in 0..x.configs as u32 {
            let canonical = space.get(i);
            for permutation in orders {
                let mut bytes = canonical.clone();
                for (to, &from) in permutation.iter().enumerate() {
                    let from = start + from * len;
                    bytes[start + to * len..start + (to + 1) * len]
                        .copy_from_slice(&canonical[from..from + len]);
                }
                space.shape.canonical(&mut bytes, &mut scratch, &mut order);
                assert_eq!(bytes, canonical, "configuration {i}, order {permutation:?}");
            }
            let key = space.store.key(i).expect("packed");
            for k in 0..group.count {
                let low = group.low + (group.count - 1 - k) * group.bits;
                for value in 0..1u128 << group.bits {
                    let mut changed = key & !(mask(group.bits) << low) | value << low;
                    let mut bytes = vec![0; space.width];
                    packing.unpack(changed, &mut bytes);
                    space.shape.canonical(&mut bytes, &mut scratch, &mut order);
                    space
                        .shape
                        .canonical_key(&mut changed, (group.first + k) as usize);
                    assert_eq!(
                        changed,
                        packing.pack(&bytes),
                        "configuration {i}, child {k}"
                    );
                }
            }
        }
    }
}
