//! One module per subcommand: each takes parsed arguments and writes to stdout.

pub mod emulator;
pub mod recipes;
