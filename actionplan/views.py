from django.shortcuts import render


def plan_index(request):
    return render(request, "actionplan/index.html", {})
