"""Testimonials and weak signals (issue 12 items 3-4): English."""

CATALOG = {
    "error.TESTIMONIAL_CONSENT": (
        "A testimonial is given only to be quoted anonymously: tick the box."
    ),
    "error.TESTIMONIAL_GIVEN": "This engagement has already given its testimonial.",
    "error.THEME_CODE_TAKEN": "A theme with this code already exists.",
    "error.THEME_IN_USE": "Engagements are tagged with this theme: deactivate it instead.",
    "error.THEME_UNKNOWN": "Not an active theme of HR's list: {codes}.",
    "error.SYNTHESIS_FIGURE_SMALL": (
        "The figure {figure} counts fewer than {k}: a small group cannot be quoted."
    ),
    "error.SYNTHESIS_FIGURE_UNKNOWN": (
        "The figure {figure} is not a visible cell of the {period} theme report: quote only "
        "the report's visible figures (write other numbers in words)."
    ),
    "invalid.testimonial_emptied": "An emptied text cannot be approved: reject it instead.",
    "noun.testimonial to review": "testimonial to review",
    "noun.engagement that is over": "engagement that is over",
    "noun.synthesis note": "synthesis note",
    "noun.theme": "theme",
    "flash.testimonial_recorded": (
        "Thank you: your testimonial is kept apart from your name, the engagement and the date."
    ),
    "flash.testimonial_approved": "Approved: HR reads it in the next batch.",
    "flash.testimonial_rejected": "Rejected: the text is deleted.",
    "flash.theme_saved": "Theme saved.",
    "flash.tags_saved": "Themes saved.",
    "flash.note_saved": "Note saved: every figure passed the check.",
    "nav.testimonials": "Testimonials",
    "nav.themes": "Themes",
    "nav.syntheses": "Syntheses",
    "testimonials.give_title": "Give a testimonial",
    "testimonials.detached": (
        "A testimonial is kept with no link to you, the engagement, your coach or a date; "
        "names, units, sites and dates are taken out; a coach checks it names nobody, among "
        "others, and HR reads it only in a batch of several."
    ),
    "testimonials.none_open": "No engagement of yours is over without its testimonial.",
    "testimonials.engagement": "Engagement",
    "testimonials.text": "Your testimonial",
    "testimonials.send": "Send",
    "testimonials.review_title": "Testimonials to review",
    "testimonials.review_hint": (
        "Texts come {k} or more at a time, with nothing about who wrote them. Approve a text "
        "that names nobody (edit it to redact), or reject it."
    ),
    "testimonials.none_to_review": "Nothing to review: texts come at least {k} at a time.",
    "testimonials.item": "Text {n}",
    "testimonials.redact": "Text (edit to redact)",
    "testimonials.approve": "Approve",
    "testimonials.reject": "Reject",
    "testimonials.hr_title": "Testimonials",
    "testimonials.hr_hint": (
        "Reviewed testimonials, in batches of at least {k}: no name, unit, date or coach."
    ),
    "testimonials.no_batch": "No batch yet: a batch needs {k} reviewed testimonials.",
    "testimonials.batch": "Batch {n}",
    "themes.title": "Themes (weak signals)",
    "themes.hint": (
        "The list coaches tag their engagements with; the theme report counts them in groups "
        "of at least k."
    ),
    "themes.code": "Code",
    "themes.code_hint": "a-z, 0-9 and _; it is the report's column and does not change.",
    "themes.label_en": "English label",
    "themes.label_fr": "French label",
    "themes.active": "Active",
    "themes.activate": "Activate",
    "themes.deactivate": "Deactivate",
    "themes.relabel": "Labels",
    "themes.relabel_one": "Relabel {code}",
    "themes.save_labels": "Save the labels",
    "themes.new": "New theme",
    "themes.add": "Add",
    "themes.tag_title": "Themes of my engagements",
    "themes.tag_hint": (
        "Only the theme report shows them, counted in groups of at least k; nobody reads an "
        "engagement's themes but you."
    ),
    "themes.no_engagement": "No engagement yet.",
    "themes.engagement": "Engagement #{id}",
    "themes.save_tags": "Save",
    "syntheses.title": "Synthesis notes",
    "syntheses.hint": (
        "Write the team's note from the theme report; every figure it quotes must be a "
        "visible cell of the report (never below {k})."
    ),
    "syntheses.period": "Period",
    "syntheses.show": "Show",
    "syntheses.report": "Themes, {period}",
    "syntheses.group": "Unit",
    "syntheses.all": "All",
    "syntheses.engagements": "Tagged engagements",
    "syntheses.new": "New note",
    "syntheses.note_title": "Title",
    "syntheses.body": "Note",
    "syntheses.body_hint": (
        "Quote only the report's visible figures; write other numbers in words (never a group"
        " below {k})."
    ),
    "syntheses.publish": "Publish (HR reads it)",
    "syntheses.save": "Save",
    "syntheses.edit_title": "Rewrite a synthesis note",
    "syntheses.edit": "Rewrite “{title}”",
    "syntheses.edit_link": "Rewrite “{title}”",
    "syntheses.back": "Back to the notes",
    "syntheses.notes": "Notes",
    "syntheses.no_notes": "No note yet.",
    "syntheses.draft": "draft",
    "syntheses.hr_title": "Weak signals: the coaches' notes",
    "syntheses.hr_hint": "The notes the coaches' team published; their figures passed the k rule.",
}
