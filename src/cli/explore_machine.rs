//! `wfl explore --machine`: filled in by the machine exploration.

use std::io::{self, Write};

use super::args::ExploreArgs;
use crate::model::{MachineId, Program};

pub fn run(
    _args: &ExploreArgs,
    out: &mut impl Write,
    program: &Program,
    m: MachineId,
) -> io::Result<()> {
    writeln!(
        out,
        "machine `{}`: exploration not built yet",
        program.machine(m).name.as_str()
    )
}
