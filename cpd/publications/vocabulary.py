PUBLICATION_KINDS = {
    "journal_issue": "Journal issue",
    "article": "Article",
    "report": "Report",
    "guidance": "Guidance",
    "standard": "Standard",
}

# Who a publication is written for: an education resource is one for schools (the strategy's
# "engaged with an education initiative / resource").
PUBLICATION_AUDIENCES = {
    "professionals": "Professionals",
    "schools": "Schools (teachers and pupils)",
    "public": "The public",
}
