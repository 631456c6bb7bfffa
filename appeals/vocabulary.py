"""The domain's fixed words: roles, unit levels, channels, and the processes that run appeals."""

LEVELS = ("district", "town", "village", "grid")  # top to bottom
PARENT_LEVEL = {"town": "district", "village": "town", "grid": "village"}

HANDLING_ROLES = ("grid", "village", "town", "district")
UNIT_ROLES = ("intake", "station", *HANDLING_ROLES, "callback", "leader")
UNITLESS_ROLES = ("auditor", "designer", "admin")
ROLES = (*UNIT_ROLES, *UNITLESS_ROLES)

#: Roles that call the citizen back and so see the reporter's contact unmasked.
CONTACT_ROLES = ("intake", "callback")
#: Roles that read every appeal, whatever their unit.
READ_ALL_ROLES = ("auditor", "admin")

CHANNELS = ("hotline", "message_board", "liaison_station", "grid_visit", "letters_visits", "walk_in", "online")
CATEGORIES = ("consultation", "livelihood", "complex")

APPEAL_PROCESS = "appeal"
#: The processes that carry appeals; in them every user task must have a form (DOMAIN.md: "every step
#: needs its form").
APPEAL_PROCESSES = FORMS_REQUIRED = ("appeal", "escalation")

#: The step where leaders supervise an appeal (a step id of the contract).
SUPERVISE = "supervise"
