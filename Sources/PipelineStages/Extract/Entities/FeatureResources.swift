/// What the feature extractor looks words up in: word clusters, the gazetteer and the case profile. Part of an entity model (the same
/// resources must be used in training and tagging).
struct FeatureResources: Sendable, Equatable {
    /// Word clusters learned from unlabelled news, if the model has them.
    var clusters: WordClusters?
    /// Lists of known names (countries, capitals, organisations, demonyms), if the model uses them.
    var gazetteer: FeatureGazetteer?
    /// How words are written mid-sentence in unlabelled news, if the model uses it.
    var casing: CaseProfile?
}
