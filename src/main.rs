fn main() {
    let path = std::env::args().nth(1).expect("path");
    let bytes = std::fs::read(&path).expect("read");
    let (src, checked) = wfl::check_bytes(&path, bytes).expect("size");
    print!(
        "{}",
        wfl::diagnostic::render::human_string(src, &checked.diagnostics)
    );
}
