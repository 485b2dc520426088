from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """``?page=2&page_size=50``; at most 200 a page.

    A ``page_size`` that is not a whole number of at least 1 (``null``, ``0``, ``-1``) is
    a 400 naming the parameter, as the schema says, not silently the default; one above
    200 is capped at 200 (the schema says so too).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise ValidationError(
                {self.page_size_query_param: [f"“{value}” is not a whole number of at least 1."]}
            )
        return min(int(value), self.max_page_size)

    def get_page_number(self, request, paginator):
        # REST framework reads an empty ``?page=`` as page 1; it is no page number: a 404
        # ("Invalid page"), like ``?page=abc``.
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        return paginator.num_pages if value in self.last_page_strings else value

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Number of results per page, at most {self.max_page_size} (more is capped)."
                )
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update({"minimum": 1})
        return parameters
