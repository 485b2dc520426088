from django.shortcuts import get_object_or_404, render

from programme.models import DevelopmentGoal, Programme

from .models import SubTarget


def overview(request):
    programme = Programme.objects.visible_to(request.user).current()
    goals = (
        DevelopmentGoal.objects.visible_to(request.user)
        .for_programme(programme)
        .with_sub_targets(request.user)
    )
    return render(request, "indicators/overview.html", {"programme": programme, "goals": goals})


def sub_target_detail(request, slug: str):
    sub_target = get_object_or_404(
        SubTarget.objects.visible_to(request.user)
        .filter(goal__in=DevelopmentGoal.objects.visible_to(request.user))
        .select_related("goal"),
        slug=slug,
    )
    return render(request, "indicators/sub_target_detail.html", {"sub_target": sub_target})
