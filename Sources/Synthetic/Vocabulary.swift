/// The common taxonomy's codes, in a fixed order (indexes into a `Vocabulary`'s words).
enum Canonical {
    static let categories = [
        "RUNAWAY", "PARENTAL_ABDUCTION", "CRIMINAL_ABDUCTION", "MISSING_MIGRANT", "LOST_INJURED", "OTHERWISE_MISSING",
    ]
    static let genders = ["FEMALE", "MALE", "OTHER"]
    static let outcomes = ["FOUND", "FOUND_DECEASED", "NOT_FOUND", "UNKNOWN"]
    static let foundBy = ["POLICE", "OWN_ACCORD", "FAMILY", "PUBLIC", "OTHER"]
    static let channels = ["PHONE", "SMS", "EMAIL", "CHAT", "SOCIAL_MEDIA", "APP", "IN_PERSON", "OTHER"]
    static let contactTypes = ["CASE_RELATED", "INFORMATION", "SILENT", "PRANK", "ABUSIVE", "WRONG_NUMBER", "OTHER"]
}

/// A member's local words for the canonical codes (same order as `Canonical`), as a case system
/// in that language writes them. The mapping files' `map:` blocks are rendered from these.
struct Vocabulary {
    var categories: [String]
    var genders: [String]
    var yes: String
    var no: String
    var outcomes: [String]
    var foundBy: [String]
    var channels: [String]
    var contactTypes: [String]
    var firstNames: [String]
    var lastNames: [String]
    var remarks: [String]
    var destinations: [String]

    static let french = Vocabulary(
        categories: [
            "fugue", "enlèvement parental", "enlèvement criminel", "mineur étranger non accompagné disparu",
            "perdu/blessé", "disparition inquiétante",
        ],
        genders: ["F", "M", "X"], yes: "oui", no: "non",
        outcomes: ["retrouvé", "retrouvé décédé", "non retrouvé", "inconnu"],
        foundBy: ["police", "retour spontané", "famille", "public", "autre"],
        channels: ["téléphone", "sms", "e-mail", "chat", "réseaux sociaux", "application", "en personne", "autre"],
        contactTypes: ["dossier", "information", "silencieux", "blague", "injurieux", "faux numéro", "autre"],
        firstNames: ["Léa", "Emma", "Louise", "Chloé", "Inès", "Lucas", "Noah", "Théo", "Maël", "Hugo"],
        lastNames: ["Dubois", "Lambert", "Peeters", "Martin", "Lefèvre", "Renard", "Mertens", "Benoît"],
        remarks: [
            "Appel de la mère, très inquiète.", "Signalement par l'école & la police locale.",
            "Déjà fugué ; suivi par le SAJ.", "Vu à la gare selon un témoin.", "L'enfant a rappelé lui-même.",
        ],
        destinations: ["FR", "NL", "DE", "MA", "ES", "GB", "LU"])

    static let german = Vocabulary(
        categories: [
            "Ausreißer", "Kindesentziehung", "Entführung durch Dritte",
            "vermisster unbegleiteter minderjähriger Flüchtling", "verlaufen/verletzt", "vermisst, unbekannter Grund",
        ],
        genders: ["w", "m", "d"], yes: "ja", no: "nein",
        outcomes: ["gefunden", "tot aufgefunden", "nicht gefunden", "unbekannt"],
        foundBy: ["Polizei", "selbst zurückgekehrt", "Familie", "Öffentlichkeit", "Sonstige"],
        channels: ["Telefon", "SMS", "E-Mail", "Chat", "soziale Medien", "App", "persönlich", "Sonstiges"],
        contactTypes: [
            "fallbezogen", "allgemeine Auskünfte", "Schweigeanruf", "Scherzanruf", "beleidigend", "falsch verbunden",
            "Sonstiges",
        ],
        firstNames: ["Lena", "Mia", "Hannah", "Jülide", "Zoë", "Jonas", "Leon", "Jörg", "Björn", "Finn"],
        lastNames: ["Müller", "Schmidt", "Weiß", "Meyer", "Schäfer", "Groß", "Öztürk", "Koch"],
        remarks: [
            "Mutter meldet sich täglich; Schule informiert", "Hinweis über Chat; Polizei eingeschaltet",
            "Jugendamt informiert", "laut Freundin \"bald zurück\"; kein Handy", "Rückruf vereinbart",
        ],
        destinations: ["PL", "AT", "TR", "FR", "NL", "CH", "RO"])

    static let italian = Vocabulary(
        categories: [
            "allontanamento volontario", "sottrazione internazionale", "rapimento da parte di terzi",
            "minore straniero non accompagnato scomparso", "smarrito/ferito", "scomparsa, motivo sconosciuto",
        ],
        genders: ["femmina", "maschio", "altro"], yes: "sì", no: "no",
        outcomes: ["ritrovato", "ritrovato deceduto", "non ritrovato", "sconosciuto"],
        foundBy: ["polizia", "rientro spontaneo", "famiglia", "cittadini", "altro"],
        channels: ["telefono", "sms", "email", "chat", "social", "app", "di persona", "altro"],
        contactTypes: ["caso", "informazione", "silenziosa", "scherzo", "offensiva", "numero errato", "altro"],
        firstNames: ["Giulia", "Sofia", "Aurora", "Ginevra", "Chiara", "Leonardo", "Niccolò", "Mattia", "Tommaso"],
        lastNames: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "De Luca", "Conti"],
        remarks: [
            "La madre chiama ogni giorno.", "Segnalazione della scuola.", "Già allontanato in passato.",
            "Avvistato in stazione.", "Il minore ha richiamato il 116 000.",
        ],
        destinations: ["RO", "FR", "AL", "MA", "DE", "ES", "CH"])

    static let spanish = Vocabulary(
        categories: [
            "fuga del hogar", "sustracción parental", "secuestro por terceros",
            "menor extranjero no acompañado desaparecido", "extraviado/lesionado", "desaparición sin causa conocida",
        ],
        genders: ["mujer", "varón", "otro"], yes: "sí", no: "no",
        outcomes: ["localizado", "localizado sin vida", "no localizado", "desconocido"],
        foundBy: ["policía nacional", "regreso voluntario", "familia", "ciudadanía", "otro"],
        channels: ["teléfono", "sms", "email", "chat", "redes sociales", "app", "presencial", "otro"],
        contactTypes: ["caso", "orientación", "llamada silenciosa", "broma", "abusiva", "número equivocado", "otro"],
        firstNames: ["Lucía", "Martina", "María", "Paula", "Noelia", "Hugo", "Martín", "Álvaro", "Iñaki"],
        lastNames: ["García", "Rodríguez", "González", "Fernández", "López", "Pérez", "Muñoz", "Ibáñez"],
        remarks: [
            "La madre llama a diario.", "Aviso del colegio; se informa a la policía.",
            "Ya se fugó del centro de menores.", "Difusión en redes sociales \u{2014} sin respuesta.",
        ],
        destinations: ["MA", "FR", "PT", "RO", "CO", "EC", "AR"])

    static let portuguese = Vocabulary(
        categories: [
            "fuga", "rapto parental", "rapto por terceiros", "criança migrante não acompanhada desaparecida",
            "perdida/ferida", "desaparecimento de causa desconhecida",
        ],
        genders: ["feminino", "masculino", "outro"], yes: "sim", no: "não",
        outcomes: ["localizada", "localizada sem vida", "não localizada", "desconhecido"],
        foundBy: ["PSP", "regresso voluntário", "família", "cidadão", "outro"],
        channels: ["telefone", "sms", "email", "chat", "redes sociais", "aplicação", "presencial", "outro"],
        contactTypes: ["caso", "informação", "silenciosa", "brincadeira", "abusiva", "engano", "outro"],
        firstNames: ["Beatriz", "Leonor", "Matilde", "Inês", "João", "Rodrigo", "Tomás", "Gonçalo", "Simão"],
        lastNames: ["Silva", "Santos", "Ferreira", "Pereira", "Gonçalves", "Conceição", "Magalhães"],
        remarks: [
            "A mãe telefona todos os dias.", "Sinalização da escola & da CPCJ.", "Visto na estação.",
            "A criança voltou a ligar.",
        ],
        destinations: ["ES", "FR", "BR", "GB", "CH", "AO", "LU"])
}
