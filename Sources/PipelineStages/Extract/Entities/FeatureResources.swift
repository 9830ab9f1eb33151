/// What the feature extractor looks words up in: word clusters and the gazetteer. Part of an entity model (the same
/// resources must be used in training and tagging).
struct FeatureResources: Sendable, Equatable {
    /// Word clusters learned from unlabelled news, if the model has them.
    var clusters: WordClusters?
    /// Lists of known names (countries, capitals, organisations, demonyms), if the model uses them.
    var gazetteer: FeatureGazetteer?
}
