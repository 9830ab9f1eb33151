/// What is wrong with a model file's bytes, phrased to follow "model file 'PATH'": "is truncated", "has another tag set".
struct ModelFileError: Error {
    var message: String
}
