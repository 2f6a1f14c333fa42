//! How a world's instances are set up before they are created (a scenario's `spawn` and `set`,
//! `wfl simulate --spawn/--set`, the explorer's initial configurations).

use crate::model::{ChildrenId, VarId};

/// How a world's instances are set up before they are created: variables and spawned children,
/// per instance, nested.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub vars: Vec<(VarId, i64)>,
    /// Children to create, per group.
    pub spawn: Vec<(ChildrenId, u32)>,
    /// The configuration of individual children: (group, index) → their own.
    pub children: Vec<((ChildrenId, u32), Config)>,
}

impl Config {
    /// The configuration of the descendant at `path` (created on the way).
    pub fn at(&mut self, path: &[(ChildrenId, u32)]) -> &mut Config {
        let mut at = self;
        for &(group, index) in path {
            let position = match at
                .children
                .iter()
                .position(|(slot, _)| *slot == (group, index))
            {
                Some(p) => p,
                None => {
                    at.children.push(((group, index), Config::default()));
                    at.children.len() - 1
                }
            };
            at = &mut at.children[position].1;
        }
        at
    }

    /// How many children of `group` it spawns (saturating: it is compared with the limits).
    pub(super) fn count(&self, group: ChildrenId) -> u32 {
        self.spawn
            .iter()
            .filter(|(g, _)| *g == group)
            .fold(0u32, |sum, (_, n)| sum.saturating_add(*n))
    }

    /// The first configured child (as a path, depth first) that the configuration does not spawn.
    pub fn unspawned(&self) -> Option<Vec<(ChildrenId, u32)>> {
        // Iterative: a path on the command line may be as long as the user likes.
        let mut path = Vec::new();
        let mut stack: Vec<(&Config, usize)> = vec![(self, 0)];
        while let Some((config, next)) = stack.pop() {
            let Some(((group, index), child)) = config.children.get(next) else {
                path.pop();
                continue;
            };
            stack.push((config, next + 1));
            path.push((*group, *index));
            if *index >= config.count(*group) {
                return Some(path);
            }
            stack.push((child, 0));
        }
        None
    }
}

/// Iterative: a configuration nests as deep as the paths of `--set` and `--spawn` go.
impl Drop for Config {
    fn drop(&mut self) {
        let mut nested: Vec<Config> = self.children.drain(..).map(|(_, c)| c).collect();
        while let Some(mut config) = nested.pop() {
            nested.extend(config.children.drain(..).map(|(_, c)| c));
        }
    }
}
