"""The demo gym's fixed tables: first and last names, appointment types, staff names,
opening hours."""

from __future__ import annotations

FIRST_NAMES = (
    "Ann Anna Andre Aaliyah Aiden Alejandro Amara Amelia Aria Ava Beatriz Ben Bianca Caleb "
    "Camila Carlos Charlotte Chen Chloe Daniel Daria David Diego Dmitri Elena Eli Elif Emma "
    "Ethan Fatima Felix Freya Gabriel Grace Hana Harper Hiro Ibrahim Isabella Isaac Ivy Jack "
    "James Jasmine Javier Jo Joan John Jonah Jose Julia Kai Kenji Khadija Laila Leo Liam Lina "
    "Lucas Lucia Luis Maya Mei Mia Miguel Mila Mohammed Nadia Naomi Noah Nora Olivia Omar "
    "Oscar Priya Rafael Rahul Rosa Ruby Sam Sara Sebastian Sofia Sophie Tariq Theo Valentina "
    "Victor Wei William Yara Yusuf Zara Zoë Søren Chloé José André Zoé Ingrid Mateo Aisha"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Kim Park Chen Wang Singh Patel Khan Ali Müller Schmidt Schneider Fischer Weber "
    "Rossi Russo Ferrari Dubois Moreau Laurent Silva Santos Oliveira Costa Pereira Novak "
    "Kowalski Nowak Ivanova Petrov Yilmaz Kaya Cohen Levi Murphy Kelly O'Brien Byrne "
    "Andersson Johansson Larsen Jensen Nielsen Hansen Tanaka Suzuki Sato Watanabe Okafor "
    "Mensah Haddad Nasser Mendoza Castillo Vargas Romero"
).split()
TYPES = (
    # name, minutes, color, price, late-cancel hours
    ("Personal Training 60", 60, "#3b82f6", 8500, 24),
    ("Personal Training 30", 30, "#06b6d4", 5000, 24),
    ("Sports Massage", 60, "#a855f7", 9000, 48),
    ("Physio Assessment", 45, "#f97316", 11000, 24),
    ("Small Group PT", 60, "#22c55e", 3500, 12),
    ("Nutrition Consult", 30, "#eab308", 6000, 24),
)
STAFF_NAMES = (
    "Kim Alvarez Jordan Reyes Sam Okoye Priya Nair Marco Bianchi Lena Vogel Tom Becker "
    "Ines Duarte Ravi Menon Alex Carter Maya Lind Noor Haddad"
).split()
OPEN_HOURS = range(6, 21)
