fn main() -> std::process::ExitCode {
    actboard::cli::main()
}
