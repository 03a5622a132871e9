PUBLICATION_KINDS = {
    "journal_issue": "Journal issue",
    "article": "Article",
    "report": "Report",
    "guidance": "Guidance",
    "standard": "Standard",
}
