/// The closed-class words the event coder's patterns read, as bit flags keyed by the FNV-1a hash of a lower-cased
/// token (``EventDictionary/hash(_:)``), so that a token's classes are one table look-up.
struct EventWords: Sendable {
    /// A word's classes.
    struct Classes: OptionSet, Sendable {
        let rawValue: UInt32
        /// Ends the clause a scan is in (punctuation that is not a comma, subordinators, reporting verbs).
        static let boundary = Classes(rawValue: 1 << 0)
        /// A place preposition: the actor after it is where, not whom (`in Baghdad`).
        static let locative = Classes(rawValue: 1 << 1)
        /// A preposition that introduces whom an action is aimed at (`strikes on`, `talks with`, `aid to`).
        static let relational = Classes(rawValue: 1 << 2)
        /// Articles, demonstratives and possessives: a verb form after one is a noun (`the attack`).
        static let determiner = Classes(rawValue: 1 << 3)
        /// Modal verbs: the act is possible, planned or conditional.
        static let modal = Classes(rawValue: 1 << 4)
        /// `not`, `n't`, `never`.
        static let negator = Classes(rawValue: 1 << 5)
        /// Forms of `be` and `get` before a past participle: the passive.
        static let be = Classes(rawValue: 1 << 6)
        /// Verbs and adjectives before `to` that make the act after it hypothetical (`threatened to`, `plans to`).
        static let intent = Classes(rawValue: 1 << 7)
        /// Verbs before `to` or an -ing form that deny the act after it (`refused to`, `denied attacking`).
        static let denial = Classes(rawValue: 1 << 8)
        /// `he`, `she` (and `his`, `her`): the last person named.
        static let personPronoun = Classes(rawValue: 1 << 9)
        /// `it`, `they` (and `its`, `their`): the last organisation or place named.
        static let thingPronoun = Classes(rawValue: 1 << 10)
        /// Verbs of saying: whose claim an event is.
        static let reporting = Classes(rawValue: 1 << 11)
        /// `,`
        static let comma = Classes(rawValue: 1 << 12)
        /// `and`
        static let and = Classes(rawValue: 1 << 13)
        /// `by`
        static let by = Classes(rawValue: 1 << 14)
        /// `from`
        static let from = Classes(rawValue: 1 << 15)
        /// `'s`
        static let possessive = Classes(rawValue: 1 << 16)
        /// `to`
        static let to = Classes(rawValue: 1 << 17)
        /// `between`
        static let between = Classes(rawValue: 1 << 18)
        /// `if`, `unless`
        static let condition = Classes(rawValue: 1 << 19)
        /// A word before a noun that makes the act not yet real (`possible`, `planned`, `threat of`).
        static let prospect = Classes(rawValue: 1 << 20)
        /// `according` (in `according to`)
        static let according = Classes(rawValue: 1 << 21)
        /// Any of the words above but a noun's premodifier can be none of them.
        static let function = Classes(rawValue: 1 << 22)
        /// `of`
        static let of = Classes(rawValue: 1 << 23)
        /// Verbs before `to` that commit to the act after it without its having happened (`agreed to`, `decided
        /// to`): hypothetical, but what follows the infinitive is its own verb's.
        static let commitment = Classes(rawValue: 1 << 24)
        /// Adverbs that may stand between an auxiliary and its verb (`was also suspended`, `has reportedly
        /// attacked`).
        static let adverbial = Classes(rawValue: 1 << 26)
        /// Object pronouns (`it`, `them`, `him`): a verb's object that names no actor.
        static let objectPronoun = Classes(rawValue: 1 << 25)
    }

    private var table = HashKeyMap<UInt32>()

    /// The classes of the word with this hash (empty for any other word).
    @inline(__always) func classes(_ hash: UInt64) -> Classes { Classes(rawValue: table[hash] ?? 0) }

    private mutating func add(_ words: String, _ c: Classes) {
        for w in words.split(separator: " ") {
            let h = EventDictionary.hash(w)
            table[h] = (table[h] ?? 0) | c.rawValue | Classes.function.rawValue
        }
    }

    /// The built-in lists.
    static let english: EventWords = {
        var w = EventWords()
        w.add(
            "; : ( ) [ ] \" \u{201C} \u{201D} \u{2014} \u{2013} - -- said says say told tells that which who whom whose "
                + "while whereas when after before because but although though where whether if unless since until "
                + "according",
            .boundary)
        w.add(
            "in at near inside outside across into onto through throughout around within during from via", .locative)
        w.add("on against with to toward towards for upon targeting between", .relational)
        w.add("the a an its their his her our this these those another", .determiner)
        w.add("would could may might will shall should can must 'll 'd wo", .modal)
        w.add("not n't never cannot", .negator)
        w.add("is are was were be been being get gets got getting", .be)
        w.add(
            "threaten threatens threatened threatening vow vows vowed plan plans planned planning intend intends "
                + "intended seek seeks sought want wants wanted aim aims aimed ready prepared preparing likely expected "
                + "poised considering consider considers set hope hopes hoped try tries tried attempt attempted offer offers "
                + "offered offering pledge pledges pledged pledging promise promises promised promising",
            .intent)
        w.add(
            "refuse refuses refused refusing fail fails failed failing decline declines declined deny denies denied "
                + "denying",
            .denial)
        w.add("he she his her", .personPronoun)
        w.add("it they its their", .thingPronoun)
        w.add(
            "said says say told tells claimed claims alleged alleges reported reports announced announces stated "
                + "added",
            .reporting)
        w.add(",", .comma)
        w.add("and", .and)
        w.add("by", .by)
        w.add("from", .from)
        w.add("'s \u{2019}s '", .possessive)
        w.add("to", .to)
        w.add("between", .between)
        w.add("if unless", .condition)
        w.add("possible potential planned proposed threatened future threat threats plan plans any", .prospect)
        w.add("according", .according)
        w.add("of", .of)
        w.add("agree agrees agreed agreeing decide decides decided deciding", .commitment)
        w.add("it them him us me itself themselves himself herself", .objectPronoun)
        w.add(
            "also again then further reportedly allegedly repeatedly jointly already later previously subsequently "
                + "formally officially now still just", .adverbial)
        w.add("has have had do does did no as and or nor . ! ? was were is are", [])
        return w
    }()
}
