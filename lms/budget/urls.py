from django.urls import path

from . import pdf, views

app_name = "budget"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.xlsx", views.table_export, name="table_export"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/<slug:action>/", views.claim_action, name="claim_action"),
    path("receipts/<int:pk>/", views.receipt_file, name="receipt"),
    path("audit/", views.audit, name="audit"),
    path("audit/entries/<int:pk>/reverse/", views.entry_reverse_view, name="entry_reverse"),
    path("policies/", views.policies, name="policies"),
    path("class-fees/", views.class_fees, name="class_fees"),
    path("report.pdf", pdf.yearly_report, name="report_pdf"),
]
