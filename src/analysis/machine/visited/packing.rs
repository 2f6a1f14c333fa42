//! The packed form of a configuration ([`Packing`]): each field cut down to the bits its values
//! need, the first field in the highest bits, so that comparing two packed instances, or two
//! packed subtrees, as numbers orders them as comparing their bytes does; and the fields of the
//! byte form, big-endian ([`read_field`], [`write_field`]).

use std::ops::Range;

use super::FieldLayout;

/// Where each field goes in the packed form.
#[derive(Debug)]
pub(crate) struct Packing {
    fields: Vec<Packed>,
    pub(super) bits: u32,
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

    pub(crate) fn unpack(&self, key: u128, out: &mut [u8]) {
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
