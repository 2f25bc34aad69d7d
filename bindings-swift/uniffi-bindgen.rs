//! uniffi's bindings generator, built at the same version as the library it reads.
fn main() {
    uniffi::uniffi_bindgen_main()
}
