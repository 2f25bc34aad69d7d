//! Unicode compatibility normalisation (NFKC) for comparing participant ids, from the
//! `unicode-normalization` tables or from the host (a JavaScript engine has its own).

use std::sync::OnceLock;

static HOST_NFKC: OnceLock<fn(&str) -> String> = OnceLock::new();

/// Makes coachflow normalise text with `normalize` (which must implement Unicode NFKC)
/// instead of its own tables. The WebAssembly package calls it once with the JavaScript
/// engine's `String.prototype.normalize`; a build without the `unicode-tables` feature and
/// without this call compares ids by case only. Later calls change nothing.
pub fn set_nfkc_normalizer(normalize: fn(&str) -> String) {
    let _ = HOST_NFKC.set(normalize);
}

/// `text` in Unicode normalisation form NFKC.
pub(crate) fn nfkc(text: &str) -> String {
    if let Some(normalize) = HOST_NFKC.get() {
        return normalize(text);
    }
    #[cfg(feature = "unicode-tables")]
    {
        use unicode_normalization::UnicodeNormalization;
        text.nfkc().collect()
    }
    #[cfg(not(feature = "unicode-tables"))]
    {
        text.to_owned()
    }
}
