app_name = "trips"

urlpatterns: list = []
