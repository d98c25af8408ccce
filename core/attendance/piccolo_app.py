"""Piccolo app for attendance: marks, signatures and flags."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.attendance.tables import AttendanceFlag, AttendanceMark, Signature

APP_CONFIG = AppConfig(
    app_name="essaim_attendance",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[AttendanceMark, Signature, AttendanceFlag],
    migration_dependencies=[
        "core.scheduling.piccolo_app",
        "core.learners.piccolo_app",
        "core.cohorts.piccolo_app",
    ],
)
