//! Lists of texts kept sorted, each text once, and searched by halves: what the crate uses
//! where a set or a map keyed by text would do. Every set or map type brings its own copy of
//! the B-tree's code (about 4 KB of the WebAssembly module apiece); these lists share one
//! sort and one search.

/// The texts sorted, each once.
pub(crate) fn sorted_unique(texts: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut texts: Vec<String> = texts.into_iter().collect();
    texts.sort();
    texts.dedup();
    texts
}

/// Where `text` is in `texts`, which [`sorted_unique`] made.
pub(crate) fn position(texts: &[String], text: &str) -> Option<usize> {
    texts.binary_search_by(|probe| probe.as_str().cmp(text)).ok()
}
