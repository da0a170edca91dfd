from rest_framework.routers import SimpleRouter

from documents.api import DocumentViewSet, ReleaseRequestViewSet

router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="api-documents")
router.register("release-requests", ReleaseRequestViewSet, basename="api-release-requests")
urlpatterns = router.urls
