//! The layout of a configuration's bytes: every instance's state, the state `history` goes back
//! to, and its variables, each a [`Field`] stored as an offset from its smallest value in 1, 2
//! or 4 bytes, big-endian, instance after instance in pre-order ([`Slot`]). Integers without a
//! range are stored in a window of [`WINDOW`] around their default; a value outside it is
//! [`Stop::Values`](super::Stop::Values). The packing of those fields into as few bits as they
//! need is the visited set's ([`Packing`](super::visited::Packing)).

use super::Stop;
use super::space::Space;
use super::visited::{read_field, write_field};
use crate::model::{MachineId, Program, StateId, Type, VarId};
use crate::sim::machine::World;

/// Room around an unbounded integer's default (and zero) before the exploration gives up.
pub(super) const WINDOW: i64 = 64;

/// One variable's or state's place in a configuration's bytes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Field {
    pub(super) offset: u32,
    pub(super) width: u8,
    /// The value stored as 0.
    pub(super) base: i64,
    /// How many values fit.
    pub(super) count: u64,
}

impl Field {
    pub(super) fn put(&self, bytes: &mut [u8], value: i64) -> bool {
        let Some(offset) = value.checked_sub(self.base) else {
            return false;
        };
        let Ok(offset) = u64::try_from(offset) else {
            return false;
        };
        if offset >= self.count {
            return false;
        }
        write_field(bytes, self.offset, self.width, offset);
        true
    }

    pub(super) fn get(&self, bytes: &[u8]) -> i64 {
        self.base + read_field(bytes, self.offset, self.width) as i64
    }
}

/// One instance's fields.
#[derive(Debug)]
pub(super) struct Slot {
    pub(super) machine: MachineId,
    pub(super) state: Field,
    /// Only for machines with a `history` transition.
    pub(super) previous: Option<Field>,
    pub(super) vars: Vec<Field>,
    /// The instances of its subtree, itself included.
    pub(super) size: u32,
}

/// The values a variable may take, as (smallest, how many); `None` for an unbounded integer, kept
/// in a window.
pub(super) fn value_range(program: &Program, ty: Type, default: i64) -> (i64, u64) {
    match ty {
        Type::Bool => (0, 2),
        Type::Enum(e) => (0, program.enum_type(e).members.len().max(1) as u64),
        Type::Int { min, max } if ty != Type::INT => {
            let span = (i128::from(max) - i128::from(min) + 1) as u128;
            if span <= u128::from(u32::MAX) {
                (min, span as u64)
            } else {
                let lo = default.min(0).saturating_sub(WINDOW).max(min);
                let hi = default.max(0).saturating_add(WINDOW).min(max);
                (lo, (i128::from(hi) - i128::from(lo) + 1) as u64)
            }
        }
        _ => {
            let lo = default.min(0).saturating_sub(WINDOW);
            // In `i128`: a default at the 64-bit bounds makes a window wider than `i64` holds.
            let hi = default.max(0).saturating_add(WINDOW);
            (lo, (i128::from(hi) - i128::from(lo) + 1) as u64)
        }
    }
}

pub(super) fn field(offset: &mut u32, base: i64, count: u64) -> Field {
    let width = if count <= 1 << 8 {
        1
    } else if count <= 1 << 16 {
        2
    } else {
        4
    };
    let f = Field {
        offset: *offset,
        width,
        base,
        count,
    };
    *offset += u32::from(width);
    f
}

/// Where the bytes of instance `i` start (or `end` past the last instance).
pub(super) fn slot_end(slots: &[Slot], i: usize, end: u32) -> u32 {
    slots.get(i).map_or(end, |s| s.state.offset)
}

impl Space<'_> {
    /// Writes the world's configuration into `out`; false when a value does not fit.
    pub(super) fn encode(&self, world: &World<'_>, out: &mut [u8]) -> Result<(), Stop> {
        for (slot, instance) in self.slots.iter().zip(&world.instances) {
            let state = instance.state.map_or(0, |s| i64::from(s.0));
            slot.state.put(out, state);
            if let Some(previous) = &slot.previous {
                previous.put(out, instance.previous.map_or(0, |s| i64::from(s.0) + 1));
            }
            for (v, field) in slot.vars.iter().enumerate() {
                let value = instance.vars.get(v).copied().unwrap_or(0);
                if !field.put(out, value) {
                    return Err(Stop::Values {
                        machine: slot.machine,
                        var: VarId::from_index(v),
                    });
                }
            }
        }
        Ok(())
    }

    /// Loads stored configuration bytes into the world's instances.
    pub(super) fn decode(&self, bytes: &[u8], world: &mut World<'_>) {
        for (slot, instance) in self.slots.iter().zip(world.instances.iter_mut()) {
            instance.state = Some(StateId(slot.state.get(bytes) as u32));
            if let Some(previous) = &slot.previous {
                let p = previous.get(bytes);
                instance.previous = (p > 0).then(|| StateId((p - 1) as u32));
            }
            for (field, value) in slot.vars.iter().zip(instance.vars.iter_mut()) {
                *value = field.get(bytes);
            }
        }
    }

    /// Whether `before` and `after` differ in nothing but variable `var` of instance `i`.
    pub(super) fn only_var_changed(
        &self,
        before: &[u8],
        after: &[u8],
        i: usize,
        var: usize,
    ) -> bool {
        let field = &self.slots[i].vars[var];
        let (from, to) = (
            field.offset as usize,
            field.offset as usize + usize::from(field.width),
        );
        before[..from] == after[..from] && before[to..] == after[to..]
    }

    /// Whether two configurations agree outside instance `i`'s bytes.
    pub(super) fn outside_equal(&self, a: &[u8], b: &[u8], i: usize) -> bool {
        let start = self.slots[i].state.offset as usize;
        let end = slot_end(&self.slots, i + 1, self.width as u32) as usize;
        a[..start] == b[..start] && a[end..] == b[end..]
    }

    /// The state of instance `i` in stored bytes.
    pub(super) fn state_in(&self, bytes: &[u8], i: usize) -> StateId {
        StateId(self.slots[i].state.get(bytes) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::machine::explore;
    use crate::analysis::machine::test_support::*;
    use crate::model::MachineId;
    use crate::sim::machine::Compiled;

    #[test]
    fn a_field_keeps_the_values_it_has_room_for_and_refuses_the_others() {
        for (base, count) in [(0, 3), (-64, 129), (-5, 300), (1000, 70_000)] {
            let mut offset = 0;
            let f = field(&mut offset, base, count);
            let mut bytes = vec![0u8; offset as usize];
            for value in [base, base + 1, base + count as i64 - 1] {
                assert!(f.put(&mut bytes, value));
                assert_eq!(f.get(&bytes), value);
            }
            assert!(!f.put(&mut bytes, base - 1));
            assert!(!f.put(&mut bytes, base + count as i64));
        }
    }

    /// Every configuration of a world with history, variables and nested groups, loaded into
    /// the interpreter's world and encoded again, gives the same bytes.
    #[test]
    fn a_configuration_decoded_into_a_world_encodes_to_the_same_bytes() {
        let p = program(NESTED);
        let c = Compiled::new(&p).expect("compiles");
        let x = explore(&p, &c, MachineId::from_index(2), limits(2));
        assert!(x.complete() && x.configs > 100);
        assert!(x.space.slots.iter().any(|s| s.previous.is_some()));
        let (mut world, _) = World::new(&c, x.root, &x.space.config, false);
        let mut again = vec![0; x.space.width];
        for i in 0..x.configs as u32 {
            let bytes = x.space.get(i);
            x.space.decode(&bytes, &mut world);
            x.space.encode(&world, &mut again).expect("fits");
            assert_eq!(again, bytes, "configuration {i}");
        }
    }
}
