"""What kit writes for people: letters, workbooks, labels and their Dutch text."""
