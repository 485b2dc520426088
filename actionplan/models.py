"""Annual action plans (handlingsplaner) of the programme."""
