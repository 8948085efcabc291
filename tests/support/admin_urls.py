"""Only the admin, for admin tests (`@pytest.mark.urls("tests.support.admin_urls")`): they must
not depend on the rest of the site's URLs."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
