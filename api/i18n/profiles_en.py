"""Coach profiles the coachee chooses from (issue 14 item 4): English."""

CATALOG = {
    "profile.title": "My profile",
    "profile.title_of": "Profile of {name}",
    "profile.link": "Profile shown to coachees",
    "profile.intro": (
        "Coachees read this profile, with your languages, themes and valid certifications, "
        "when you are proposed to them."
    ),
    "profile.bio": "Short presentation",
    "profile.bio_hint": "Plain text, 600 characters at most: how you work, your background.",
    "profile.photo": "Photo",
    "profile.photo_alt": "Photo of {name}",
    "profile.no_photo": "No photo yet.",
    "profile.photo_file": "Image file",
    "profile.photo_hint": "PNG, JPEG or WebP, {size} KB at most.",
    "profile.upload": "Upload the photo",
    "profile.remove_photo": "Remove the photo",
    "profiles.for_request": "For your request: {type}, submitted on {date}",
    "profiles.sites": "sites: {sites}",
    "profiles.credentials": "Credentials",
    "profiles.certification": "{level}, {body}",
    "profiles.valid_until": "valid until {date}",
    "profiles.no_certification": "No certification on record",
    "flash.profile_saved": "Profile saved.",
    "flash.photo_saved": "Photo saved.",
    "flash.photo_deleted": "Photo removed.",
    "error.PHOTO_NOT_IMAGE": "The photo must be a PNG, JPEG or WebP image.",
}
