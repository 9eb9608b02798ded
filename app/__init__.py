"""研修案例填报助手 (yanxiu): draft teacher-training cases offline and export them as the notice prescribes."""

__version__ = "0.1.0"
APP_NAME = "yanxiu"
APP_TITLE = "研修案例填报助手"
