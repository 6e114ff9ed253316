"""Codes of the posts the system treats specially."""

SECRETARY = "secretary"
DIRECTOR = "director"
COMMITTEE_MEMBER = "committee-member"
RESERVE_CADRE = "reserve-cadre"
GRADUATE_OFFICIAL = "graduate-official"
