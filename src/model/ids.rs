//! Dense indices. Each is a `u32` position in the vector its name says.

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// Indices come from vectors whose length `resolve` keeps below `u32::MAX`.
            pub fn from_index(index: usize) -> $name {
                $name(u32::try_from(index).unwrap_or(u32::MAX))
            }
        }
    )*};
}

ids! {
    /// `Program::workflows`
    WorkflowId;
    /// `Program::machines`
    MachineId;
    /// `Program::enums`
    EnumId;
    /// `Program::events`
    EventId;
    /// `Program::actors`
    ActorId;
    /// `Workflow::tasks`
    TaskId;
    /// `Workflow::links`
    LinkId;
    /// `Workflow::vars` or `Machine::vars`
    VarId;
    /// `Machine::states`
    StateId;
    /// `Machine::transitions`
    TransitionId;
    /// `Machine::views`
    ViewId;
    /// `Machine::children`
    ChildrenId;
}
