DROP TABLE work_center_staff;
