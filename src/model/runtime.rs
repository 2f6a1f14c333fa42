//! The states a workflow run gives its tasks, links and itself (specs/semantics.md).

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The name as written in specs: `FINISHED_OK`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant),)*
                }
            }

            pub fn from_name(name: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == name)
            }
        }
    };
}

named_enum! {
    /// The state of a task.
    #[allow(non_camel_case_types)]
    TaskState {
        WAITING,
        IN_QUEUE,
        RUNNING,
        FINISHED_OK,
        FINISHED_FAILURE,
        SKIPPED,
        SKIPPED_FAILURE,
        UNKNOWN,
        NOT_RUN,
    }
}

named_enum! {
    /// The state of a link, once its target is evaluated.
    #[allow(non_camel_case_types)]
    LinkState {
        ACCEPTED,
        REJECTED,
        SKIPPED,
        SKIPPED_FAILURE,
    }
}

named_enum! {
    /// The state of a workflow run.
    #[allow(non_camel_case_types)]
    WorkflowState {
        NOT_RUN,
        RUNNING,
        FINISHED_OK,
        FINISHED_FAILURE,
        STOP,
    }
}
