"""What every domain shares: model column types, errors, pagination, time, spreadsheets."""
