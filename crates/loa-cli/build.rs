fn main() {
    // whisper.cpp's shared libraries sit beside the program (cargo's build
    // folders, a portable copy) or in ../lib/loa-studio (the Linux package);
    // DT_RPATH rather than RUNPATH so that they find each other too. Same
    // in src-tauri/build.rs.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,-rpath,$ORIGIN:$ORIGIN/../lib/loa-studio");
        println!("cargo:rustc-link-arg-bins=-Wl,--disable-new-dtags");
    }
}
