fn main() -> std::process::ExitCode {
    wfl::cli::main()
}
