from rest_framework.routers import SimpleRouter

from regionaldata.api import DataSetViewSet, IndicatorViewSet, ObservationViewSet, SubmissionViewSet

router = SimpleRouter()
router.register("statistics/indicators", IndicatorViewSet, basename="api-statistics-indicators")
router.register("statistics/datasets", DataSetViewSet, basename="api-statistics-datasets")
router.register("statistics/submissions", SubmissionViewSet, basename="api-statistics-submissions")
router.register("statistics/observations", ObservationViewSet, basename="api-statistics-observations")
urlpatterns = router.urls
