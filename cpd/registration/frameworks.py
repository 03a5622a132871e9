"""The registers' titles and their competences, as data (a migration seeds them).

Sources: the Engineering Council's UK Standard for Professional Engineering Competence and
Commitment (UK-SPEC, 4th edition; areas A to E) for EngTech, IEng and CEng, and its ICTTech
standard; the Science Council's competence frameworks for RSciTech, RSci and CSci (areas A to E);
the Institute of Science and Technology's Registered Practitioner register, for technical
practitioners outside science (the creative industries among them), whose registrants "exercise
technical judgement and assume responsibility for their technical duties", "understand the
purposes of the operations for which they are responsible, and apply industry standard principles
and techniques" and "be aware of the business, management, safety, social and economic context
of their work" (istonline.org.uk, Registered Practitioners).
Every statement here is written in our own short words at each title's level; the published
frameworks are the reference, not copied.
"""

LEVEL_WORDS = {
    1: "following established practice, with guidance where needed",
    2: "independently, choosing and adapting the methods",
    3: "leading others, in complex and unfamiliar situations",
}

UKSPEC_AREAS = {
    "A": "Knowledge and understanding",
    "B": "Design, development and solving problems",
    "C": "Responsibility, management and leadership",
    "D": "Communication and working with others",
    "E": "Professional commitment",
}
UKSPEC = {
    "A1": "Use general and specialist engineering knowledge to do your work",
    "A2": "Keep that knowledge up to date and apply new technology",
    "B1": "Find, review and choose techniques and approaches for engineering tasks",
    "B2": "Design or improve engineering solutions, products or systems",
    "B3": "Put solutions into practice and check that they work",
    "C1": "Plan your work and the work of others",
    "C2": "Manage resources, budgets and time",
    "C3": "Lead or support teams and develop people",
    "C4": "Take part in quality assurance and continuous improvement",
    "D1": "Communicate clearly in writing and in person",
    "D2": "Work well with colleagues, clients and the public",
    "D3": "Handle differences of view and reach agreement",
    "E1": "Work within the law, codes and safe systems of work",
    "E2": "Manage risk, including health, safety and environmental risk",
    "E3": "Work sustainably and consider the impact of your work",
    "E4": "Keep up your competence through planned CPD",
    "E5": "Act ethically and uphold the standards of the profession",
}

SCIENCE_AREAS = {
    "A": "Application of knowledge and understanding",
    "B": "Personal responsibility",
    "C": "Interpersonal skills",
    "D": "Professional practice",
    "E": "Professional standards",
}
SCIENCE = {
    "A1": "Apply scientific knowledge and understanding in your work",
    "A2": "Analyse and interpret data and evidence soundly",
    "A3": "Find and use new knowledge and methods",
    "B1": "Take responsibility for the quality and outcomes of your work",
    "B2": "Work safely and manage risk",
    "B3": "Plan and organise your work and use resources well",
    "C1": "Communicate scientific information clearly to different audiences",
    "C2": "Work with others and contribute to teams",
    "C3": "Support, guide or develop others",
    "D1": "Use the right methods, tools and techniques with skill",
    "D2": "Review your work and improve how things are done",
    "D3": "Contribute to the wider work of your organisation or field",
    "E1": "Follow the law, codes of conduct and ethical principles",
    "E2": "Keep your competence up to date through CPD and reflection",
    "E3": "Uphold the reputation and standards of your profession",
}

PRACTITIONER_AREAS = {
    "A": "Technical judgement and responsibility",
    "B": "Principles and techniques",
    "C": "The context of the work",
    "D": "Communication and leadership",
    "E": "Professional conduct",
}
PRACTITIONER = {
    "A1": "Use technical judgement and take responsibility for your technical duties",
    "B1": "Understand the reasons for, and the purposes of, the operations you are responsible for",
    "B2": "Apply the principles and techniques your industry holds as standard",
    "C1": "Work with the business, management and safety context of your work in mind",
    "C2": "Weigh the social and economic effects of your work, in your organisation and beyond",
    "D1": "Communicate clearly and, when you lead, guide and develop others",
    "E1": "Keep to the body's code of conduct and keep your competence up to date through CPD",
}

# (title, register, level, name, code prefix, areas, statements)
TITLES = [
    ("RSciTech", "science_council", 1, "Registered Science Technician", "SC", SCIENCE_AREAS, SCIENCE),
    ("RSci", "science_council", 2, "Registered Scientist", "SC", SCIENCE_AREAS, SCIENCE),
    ("CSci", "science_council", 3, "Chartered Scientist", "SC", SCIENCE_AREAS, SCIENCE),
    ("EngTech", "engineering_council", 1, "Engineering Technician", "UKSPEC", UKSPEC_AREAS, UKSPEC),
    ("IEng", "engineering_council", 2, "Incorporated Engineer", "UKSPEC", UKSPEC_AREAS, UKSPEC),
    ("CEng", "engineering_council", 3, "Chartered Engineer", "UKSPEC", UKSPEC_AREAS, UKSPEC),
    ("ICTTech", "engineering_council_ict", 1, "ICT Technician", "UKSPEC", UKSPEC_AREAS, UKSPEC),
    ("RegisteredPractitioner", "ist_practitioners", 2, "Registered Practitioner", "RP", PRACTITIONER_AREAS,
     PRACTITIONER),
]


def title_rows():
    return [{"title": title, "register": register, "level": level, "name": name}
            for title, register, level, name, *_ in TITLES]


def competence_rows():
    rows = []
    for title, _, level, _, prefix, areas, statements in TITLES:
        for code, statement in statements.items():
            rows.append({"title": title, "code": f"{prefix}-{code}", "area": areas[code[0]],
                         "statement": f"{statement}, {LEVEL_WORDS[level]}."})
    return rows
