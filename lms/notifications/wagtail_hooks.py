"""Admin: the inbox menu item with its unread count, message types, deliveries, announcements and the SMS log."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lms.accounts.roles import STAFF, user_has_role

from . import admin_views
from .forms import MessageTypeForm
from .models import Delivery, MessageType
from .selectors import unread_count

admin_urls = (
    [
        path("", admin_views.AdminInboxView.as_view(), name="inbox"),
        path("<int:pk>/open/", admin_views.admin_message_open, name="open"),
        path("read-all/", admin_views.admin_read_all, name="read_all"),
        path("announce/", admin_views.AnnouncementView.as_view(), name="announce"),
        path("announcements/<int:pk>/", admin_views.AnnouncementProgressView.as_view(), name="announcement"),
        path("announcements/<int:pk>/progress/", admin_views.announcement_progress, name="announcement_progress"),
        path("sms-log/", admin_views.SmsLogView.as_view(), name="sms_log"),
    ],
    "notifications_admin",
)


@hooks.register("register_admin_urls")
def register_notification_admin_urls():
    return [path("messages/", include(admin_urls))]


class InboxMenuItem(MenuItem):
    """消息中心, with the number of unread messages in its label."""

    def render_component(self, request):
        count = unread_count(user=request.user)
        label = f"{self.label}（{count}）" if count else self.label
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name,
                                     classname=self.classname, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return InboxMenuItem(_("Messages"), reverse("notifications_admin:inbox"), name="inbox", icon_name="mail",
                         order=5)


class EditOnlyPolicy(ModelPermissionPolicy):
    """Types come from the code: staff edit them, nobody adds or deletes one."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Deliveries are a record: viewed, never changed by hand."""

    def user_has_permission(self, user, action):
        if action not in ("view", "inspect"):
            return False
        return user.is_superuser or user_has_role(user, STAFF)


register_permission_policy(MessageType, EditOnlyPolicy(MessageType))
register_permission_policy(Delivery, ReadOnlyPolicy(Delivery))


class MessageTypeViewSet(ModelViewSet):
    model = MessageType
    icon = "doc-full"
    menu_label = _("Message types")
    list_display = ["__str__", "title_template", "sms_default", "email_default", "is_active"]
    list_filter = ["is_active"]
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList([
        HelpPanel(template="notifications/admin/variables_help.html", heading=_("Variables")),
        FieldPanel("title_template"), FieldPanel("body_template"), FieldPanel("sms_template"),
        FieldPanel("sms_template_code"), FieldPanel("sms_default"), FieldPanel("email_default"),
        FieldPanel("is_active"),
    ], base_form_class=MessageTypeForm)


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    icon = "mobile-alt"
    menu_label = _("Deliveries")
    list_display = ["created_at", "channel", "address", "body", "status", "reason", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["address", "body"]
    inspect_view_enabled = True
    copy_view_enabled = False
    list_export = ["created_at", "channel", "address", "body", "status", "reason", "attempts", "sent_at", "backend"]
    export_filename = "deliveries"
    form_fields = ["status"]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or user_has_role(request.user, STAFF)


class NotificationViewSetGroup(ViewSetGroup):
    menu_label = _("Notifications")
    menu_icon = "mail"
    menu_order = 600
    items = (MessageTypeViewSet("message_types"), DeliveryViewSet("deliveries"))


@hooks.register("register_admin_viewset")
def register_notification_viewsets():
    return NotificationViewSetGroup()


@hooks.register("register_admin_menu_item")
def register_announce_menu_item():
    return StaffMenuItem(_("Send an announcement"), reverse("notifications_admin:announce"), icon_name="mail",
                         order=601)


@hooks.register("register_admin_menu_item")
def register_sms_log_menu_item():
    return StaffMenuItem(_("SMS log (file)"), reverse("notifications_admin:sms_log"), icon_name="mobile-alt",
                         order=602)
