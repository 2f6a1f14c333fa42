//! What scenario runs exercised, for `wfl test --coverage`: the states each machine instance
//! entered and the transitions it took, read from a run's trace, by machine and by the group of
//! children the instance belongs to. (A workflow run's outcome already says where each task and
//! link ended.)

use rustc_hash::FxHashMap;

use super::machine::{Event, World};
use crate::model::{ChildrenId, MachineId, StateId, TransitionId};

/// Whose behaviour a visit is: an instance's machine, and the `children` declaration it was
/// created by (`None` for the root of the run).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Owner {
    pub machine: MachineId,
    /// The parent's machine and its `children` declaration.
    pub group: Option<(MachineId, ChildrenId)>,
}

/// How many times, in one machine run, each state was entered and each transition taken.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MachineVisits {
    pub entered: FxHashMap<(Owner, StateId), u32>,
    pub taken: FxHashMap<(Owner, TransitionId), u32>,
}

impl MachineVisits {
    /// The visits of `world`'s trace so far (none when it keeps no trace): initial rules enter
    /// states, steps take transitions and enter their targets.
    pub fn of(world: &World<'_>) -> MachineVisits {
        let mut visits = MachineVisits::default();
        let owner = |i: u32| {
            let instance = world.instances.get(i as usize)?;
            let group = instance
                .parent
                .zip(instance.slot)
                .and_then(|(parent, (group, _))| {
                    let parent = world.instances.get(parent as usize)?;
                    Some((parent.machine, group))
                });
            Some(Owner {
                machine: instance.machine,
                group,
            })
        };
        for event in world.trace.iter().flatten() {
            match *event {
                Event::Initial {
                    instance, state, ..
                } => {
                    if let Some(owner) = owner(instance) {
                        *visits.entered.entry((owner, state)).or_default() += 1;
                    }
                }
                Event::Step {
                    instance,
                    to,
                    transition,
                    ..
                } => {
                    if let Some(owner) = owner(instance) {
                        *visits.entered.entry((owner, to)).or_default() += 1;
                        *visits.taken.entry((owner, transition)).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
        visits
    }
}
