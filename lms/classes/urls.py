from django.urls import path, re_path

from .views import declarations, learner, notes, record, roster, signin, signin_sheets, station, teaching

app_name = "classes"

urlpatterns = [
    path("", learner.my_classes, name="my_classes"),
    path("catalogue/", learner.catalogue, name="catalogue"),
    path("<int:pk>/", learner.class_detail, name="class_detail"),
    path("<int:pk>/enrol/", learner.enrol, name="enrol"),
    path("<int:pk>/withdraw/", learner.withdraw, name="withdraw"),
    path("<int:pk>/notes/new/", notes.note_new, name="note_new"),
    path("<int:pk>/notes/", notes.class_notes, name="class_notes"),
    path("notes/", notes.my_notes, name="my_notes"),
    path("notes/<int:pk>/", notes.note_detail, name="note_detail"),
    path("notes/photos/<int:pk>/", notes.note_photo, name="note_photo"),
    path("sessions/<int:pk>/sign-in/", signin.sign_in, name="sign_in"),
    path("sessions/<int:pk>/leave/", learner.ask_leave, name="ask_leave"),
    path("leave/<int:pk>/report-back/", learner.report_back, name="report_back"),
    path("staff/sessions/<int:pk>/roster/", roster.roster, name="roster"),
    path("staff/sessions/<int:pk>/qr/", signin.qr_screen, name="qr_screen"),
    path("staff/sessions/<int:pk>/sign-in-sheet/", signin_sheets.sheet_page, name="signin_sheet"),
    path("staff/sessions/<int:pk>/sign-in-sheet.pdf", signin_sheets.sheet_pdf, name="signin_sheet_pdf"),
    path("staff/sign-in-sheets/<int:pk>/", signin_sheets.sheet_scan, name="signin_sheet_scan"),
    path("teaching/", teaching.my_sessions, name="teaching"),
    path("teaching/sessions/<int:pk>/lesson-plan/", teaching.upload_lesson_plan, name="upload_lesson_plan"),
    path("station/", station.station_sessions, name="station_sessions"),
    path("station/sessions/<int:pk>/", station.station_group, name="station_group"),
    path("record/", record.my_record, name="my_record"),
    path("declarations/", declarations.my_declarations, name="declarations"),
    re_path(r"^record/(?P<kind>xlsx|pdf)/$", record.my_record_download, name="my_record_download"),
    path("people/<int:pk>/record/", record.person_record, name="person_record"),
    re_path(r"^people/(?P<pk>\d+)/record/(?P<kind>xlsx|pdf)/$", record.person_record_download,
            name="person_record_download"),
]
