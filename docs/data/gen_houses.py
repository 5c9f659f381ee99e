#!/usr/bin/python3
"""Writes docs/data/houses.csv (run from docs/data), the README's regression example: 120 houses,
price = 20000 + 25000·rooms + 1800·area − 700·age + N(0, 15000²), seeded."""
import random
random.seed(12)
rows = ["rooms,area,age,price"]
for _ in range(120):
    rooms = random.randint(2, 6)
    area = round(random.uniform(30 + 15 * rooms, 60 + 30 * rooms), 1)
    age = random.randint(0, 60)
    price = 20000 + 25000 * rooms + 1800 * area - 700 * age + random.gauss(0, 15000)
    rows.append(f"{rooms},{area},{age},{round(price, -2):.0f}")
open("houses.csv", "w").write("\n".join(rows) + "\n")
