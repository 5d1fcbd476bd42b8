/// The value lists of the Nuro API reference ("Parameter Reference"), spelled
/// exactly as published. The API matches them character for character.
///
/// The BGM genre list is announced as "50 options" but names 47; the provider's
/// deprecation notice repeats the same 47, and those are what is accepted.
public enum NuroVocabulary {
    public static let vocalGenres = [
        "Pop", "Pop Rock", "Pop Punk", "Pop Rap",
        "Folk", "Chinese Style", "GuFeng Music",
        "Electronic", "DJ", "Future Bass", "Chinoiserie Electronic",
        "Hip Hop/Rap", "Trap Rap", "R&B Rap",
        "Rock", "Jazz", "R&B/Soul", "Punk", "Reggae", "Disco", "Jazz Pop", "Bossa Nova", "Contemporary R&B",
    ]

    public static let vocalMoods = [
        "Happy", "Dynamic/Energetic", "Inspirational/Hopeful", "Excited",
        "Chill", "Calm/Relaxing", "Dreamy/Ethereal",
        "Sentimental/Melancholic/Lonely", "Nostalgic/Memory", "Sorrow/Sad", "Romantic", "Miss",
        "Groovy/Funky",
    ]

    public static let vocalTimbres = [
        "Warm", "Bright", "Husky",
        "Electrified voice", "Sweet_AUDIO_TIMBRE", "Cute_AUDIO_TIMBRE",
        "Loud and sonorous", "Powerful",
        "Sexy/Lazy",
    ]

    public static let genders = ["Female", "Male"]

    public static let bgmGenres = [
        "corporate", "dance/edm", "orchestral", "chill out", "rock", "hip hop", "folk", "funk", "ambient",
        "holiday", "jazz", "kids", "world", "travel", "commercial", "advertising", "driving", "cinematic",
        "upbeat", "epic", "inspiring", "business", "video game", "dark", "pop", "trailer", "modern",
        "electronic", "documentary", "soundtrack", "fashion", "acoustic", "movie", "tv", "high tech",
        "industrial", "dance", "video", "vlog", "marketing", "game", "radio", "promotional", "sports",
        "party", "summer", "beauty",
    ]

    public static let bgmMoods = [
        "positive", "uplifting", "energetic", "happy", "bright", "optimistic", "hopeful", "cool", "dreamy",
        "fun", "light", "powerful", "calm", "confident", "joyful", "dramatic", "peaceful", "playful", "soft",
        "groovy", "reflective", "easy", "relaxed", "lively", "smooth", "romantic", "intense", "elegant",
        "mellow", "emotional", "sentimental", "cheerful happy", "contemplative", "soothing", "proud",
        "passionate", "sweet", "mystical", "tranquil", "cheerful", "casual", "beautiful", "ethereal",
        "melancholy", "sad", "aggressive", "haunting", "adventure", "serene", "sincere", "funky", "funny",
    ]

    public static let bgmInstruments = [
        "piano", "drums", "guitar", "percussion", "synth", "electric guitar", "acoustic guitar",
        "bass guitar", "brass", "violin", "cello", "flute", "organ", "trumpet", "ukulele", "saxophone",
        "double bass", "harp", "glockenspiel", "synthesizer", "keyboard", "marimba", "bass", "banjo", "strings",
    ]

    public static let bgmThemes = [
        "inspirational", "motivational", "achievement", "discovery", "every day", "love", "technology",
        "lifestyle", "journey", "meditation", "drama", "children", "hope", "fantasy", "holiday", "health",
        "family", "real estate", "media", "kids", "science", "education", "progress", "world", "vacation",
        "training", "christmas", "sales",
    ]

    public static let segmentTypes = SegmentType.allCases.map(\.rawValue)
}
