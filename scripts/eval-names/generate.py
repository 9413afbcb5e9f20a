#!/usr/bin/env python3
"""Writes Gapura's name-screening evaluation set of invented people.

Usage: python3 scripts/eval-names/generate.py [--out-dir DIR]

Writes DIR/pairs.jsonl (labelled query/listed pairs) and DIR/README.md, by default
crates/gapura-screening/testdata/eval/. Seeded and standard library only: running it again
writes the same bytes. Every person is invented: names are drawn from lists of common name
parts and any combination that would name a well-known person is skipped (FAMOUS below).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import unicodedata
from pathlib import Path
import random

SEED = 9303_1972
MRZ_NAME_LEN = 39  # TD3 name field: primary + "<<" + secondary

# --------------------------------------------------------------------------------------------
# Name parts (modern spelling; old spellings are derived by rule)
# --------------------------------------------------------------------------------------------

JAVA_M_FIRST = [
    "Agus", "Budi", "Bambang", "Joko", "Slamet", "Sugeng", "Wahyu", "Teguh", "Hadi", "Eko",
    "Heru", "Bayu", "Dimas", "Yudi", "Hendro", "Rudi", "Adi", "Anton", "Arief", "Bagus",
    "Hari", "Iwan", "Nanang", "Priyo", "Sigit", "Tono", "Wawan", "Yanto", "Dedi", "Edi",
    "Hendra", "Indra", "Aris", "Danang", "Guntur", "Haryo", "Irwan", "Wisnu", "Yoga",
    "Kukuh", "Yuyun", "Sapto", "Untung", "Catur", "Puguh", "Yusuf", "Cahyo", "Suryo",
]
JAVA_M_LAST = [
    "Santoso", "Wibowo", "Nugroho", "Setiawan", "Kurniawan", "Prasetyo", "Susanto", "Purnomo",
    "Hidayat", "Saputra", "Wijaya", "Gunawan", "Suryadi", "Sujatmiko", "Cahyadi", "Cahyono",
    "Haryanto", "Purwanto", "Riyadi", "Handoko", "Yulianto", "Supriyanto", "Triyono", "Suyanto",
    "Sutrisno", "Sunaryo", "Sumarno", "Utomo", "Wicaksono", "Setiyono", "Priyanto", "Darmawan",
    "Budiman", "Mulyadi", "Sudarsono", "Sugiarto", "Suparman", "Suwarno", "Junaedi", "Kuncoro",
    "Hermawan", "Setiadi", "Rahmanto", "Yuwono", "Sulistyo", "Suyono", "Wahyudi", "Cahyanto",
    "Nuryanto", "Sukamto", "Mujiono", "Sutanto", "Kusumo", "Suhartono",
]
JAVA_F_FIRST = [
    "Sri", "Siti", "Dewi", "Wulan", "Rina", "Ratna", "Sari", "Yanti", "Endang", "Tuti",
    "Rini", "Yuni", "Indah", "Ayu", "Retno", "Wiwik", "Yuli", "Kartika", "Puji", "Umi",
    "Diah", "Ika", "Novi", "Ani", "Erna", "Heni", "Lina", "Nita", "Desi", "Evi", "Yeni",
    "Tutik", "Sulis", "Yayuk", "Cicik", "Juwariyah", "Suci", "Murni",
]
JAVA_F_LAST = [
    "Lestari", "Wahyuni", "Rahayu", "Suryani", "Sumarni", "Sulastri", "Handayani",
    "Susilowati", "Murniati", "Setyawati", "Kusumawati", "Widyastuti", "Cahyaningsih",
    "Yuliani", "Purwaningsih", "Puspitasari", "Wulandari", "Kurniasih", "Astuti", "Rahmawati",
    "Nurhayati", "Hastuti", "Pertiwi", "Safitri", "Susanti", "Yuliana", "Anggraini",
    "Permatasari", "Novitasari", "Utami", "Indriani", "Fitriani", "Setyaningsih", "Juwita",
    "Suciati", "Yulianti", "Purwanti", "Haryati", "Sugiarti", "Wijayanti", "Kristiyani",
    "Suyanti", "Mujiati", "Sukaryati",
]
SUNDA_M_FIRST = [
    "Asep", "Ujang", "Dadang", "Cecep", "Deden", "Yayan", "Iwan", "Dede", "Ade", "Dadan",
    "Engkos", "Odang", "Rahmat", "Eman", "Jajang", "Aep", "Wawan", "Ujang", "Yudi", "Cucu",
]
SUNDA_M_LAST = [
    "Sunarya", "Permana", "Suryana", "Hidayat", "Kurnia", "Sudrajat", "Suhendar", "Sopandi",
    "Mulyana", "Setiadi", "Sumarna", "Saepudin", "Nurdin", "Supriatna", "Hermawan",
    "Kusnadi", "Rohendi", "Sukmana", "Suherman", "Ruhimat", "Iskandar", "Solihin", "Maulana",
    "Juhana", "Rustandi", "Kuswara",
]
SUNDA_F_FIRST = [
    "Euis", "Neneng", "Iis", "Lilis", "Imas", "Yati", "Enok", "Cucu", "Popon", "Eti",
    "Nenden", "Rina", "Yeyet", "Nining", "Titin", "Enung", "Dede", "Ai",
]
SUNDA_F_LAST = [
    "Nurhasanah", "Kurniasih", "Rohayati", "Komalasari", "Sumiati", "Rostiana", "Mulyani",
    "Herawati", "Suryati", "Nurjanah", "Rosmiati", "Maryati", "Hodijah", "Badriah",
    "Juwariah", "Sumarni", "Yuningsih", "Cucu Sumiati",
]
MODERN_M_FIRST = [
    "Rizky", "Dimas", "Aditya", "Fajar", "Gilang", "Reza", "Rangga", "Bagas", "Andika",
    "Yoga", "Fauzan", "Galih", "Ilham", "Rafi", "Arya", "Bima", "Dika", "Farhan", "Hafiz",
    "Ikhsan", "Naufal", "Raka", "Satria", "Zaki", "Daffa", "Akbar", "Fikri", "Hanif",
    "Yudha", "Bayu", "Wahyu", "Kevin", "Yogi",
]
MODERN_M_MID = [
    "Aditya", "Putra", "Eka", "Dwi", "Rizki", "Maulana", "Nur", "Adi", "Bayu", "Surya",
    "Cahya", "Wira", "Yuda", "Tri", "Jaya",
]
MODERN_M_LAST = [
    "Pratama", "Saputra", "Ramadhan", "Firmansyah", "Maulana", "Nugraha", "Permana",
    "Kurniawan", "Hidayatullah", "Ardiansyah", "Setiawan", "Wicaksono", "Syahputra",
    "Prakoso", "Mahendra", "Perdana", "Wardana", "Anugrah", "Kusuma", "Fadillah", "Rahman",
    "Saputro", "Hermawan", "Prasetya", "Ramadhani", "Wijayakusuma", "Kurniadi", "Syahrial",
]
MODERN_F_FIRST = [
    "Putri", "Anisa", "Dinda", "Nadia", "Amelia", "Aulia", "Salsabila", "Nabila", "Citra",
    "Intan", "Melati", "Kirana", "Larasati", "Tiara", "Annisa", "Rahma", "Zahra", "Sekar",
    "Ayu", "Dewi", "Nurul", "Fitri", "Shinta", "Nanda", "Alya", "Vania", "Della", "Yulia",
    "Cahya", "Jihan",
]
MODERN_F_MID = ["Ayu", "Dwi", "Eka", "Nur", "Putri", "Tri", "Sekar", "Kartika", "Cahya", "Yuli"]
MODERN_F_LAST = [
    "Lestari", "Wulandari", "Pertiwi", "Safitri", "Anggraini", "Oktaviani", "Novitasari",
    "Permatasari", "Rahmadani", "Puspita", "Ramadhani", "Amalia", "Kusumawardani",
    "Handayani", "Rahayu", "Kartika", "Utami", "Febriani", "Aprilia", "Fitriani", "Azzahra",
    "Nuraini", "Khairunnisa", "Cahyani", "Yuliandari",
]
MUSLIM_M_FIRST = [
    "Ahmad", "Abdul Rahman", "Abdullah", "Ali", "Hasan", "Husein", "Umar", "Usman", "Yusuf",
    "Ibrahim", "Ismail", "Ilham", "Fadli", "Fikri", "Hafiz", "Rahmat", "Ridwan", "Rizki",
    "Arif", "Abdul Aziz", "Abdul Hakim", "Abdul Karim", "Abdul Majid", "Abdul Latif",
    "Abdul Ghani", "Abdul Wahab", "Lukman", "Zainal Abidin", "Zulkifli", "Syamsul", "Syaiful",
    "Khairul", "Amir", "Hidayat", "Imam", "Jamal", "Kamal", "Nasir", "Rasyid", "Salman",
    "Sulaiman", "Syarifuddin", "Jalaluddin", "Nuruddin", "Abu Bakar", "Hamid", "Harun",
    "Idris", "Yahya", "Zakaria", "Mansur", "Saleh", "Syamsuddin", "Hidayatullah", "Taufik",
]
MUSLIM_M_LAST = [
    "Hidayat", "Fauzi", "Rahman", "Hakim", "Syahputra", "Firdaus", "Ramadhan", "Maulana",
    "Hasan", "Husein", "Rifai", "Syafii", "Abdullah", "Ismail", "Ibrahim", "Kurniawan",
    "Effendi", "Hamzah", "Iskandar", "Yusuf", "Zainuddin", "Basri", "Anshari", "Mubarok",
    "Mahmud", "Rasyid", "Nurdin", "Fadillah", "Arifin", "Hamdani", "Jailani", "Syamsuddin",
    "Fahmi", "Alwi", "Muhajir", "Faisal", "Usman", "Sulaiman", "Lukman", "Zulkifli",
]
MUSLIM_F_FIRST = [
    "Siti", "Nur", "Nurul", "Fatimah", "Aisyah", "Khadijah", "Zahra", "Laila", "Annisa",
    "Salma", "Maryam", "Halimah", "Rahmah", "Zainab", "Aminah", "Hafsah", "Sarah", "Rabiah",
    "Nabila", "Hasanah", "Ummi", "Zulaikha", "Jamilah", "Rosidah", "Mardiah",
]
MUSLIM_F_LAST = [
    "Aminah", "Hasanah", "Rahmawati", "Nurhayati", "Fitriani", "Maulida", "Khairunnisa",
    "Hidayah", "Rohmah", "Mardiyah", "Nuraini", "Jamilah", "Rosidah", "Fauziah",
    "Munawaroh", "Sholihah", "Zakiyah", "Mahmudah", "Istiqomah", "Husna", "Hamidah",
    "Azizah", "Latifah", "Fatimah", "Aisyah", "Khadijah",
]
BATAK_M_FIRST = [
    "Parulian", "Martin", "Hotman", "Tigor", "Sahat", "Poltak", "Togar", "Mangasi", "Bonar",
    "Horas", "Rudi", "Andreas", "Daniel", "Samuel", "Yosua", "Fernando", "Ricardo", "Ramses",
    "Hendra", "Erwin", "Marulak", "Edward", "Lamhot", "Parlindungan", "Maruli", "Jhonny",
    "Rizky", "Irwan", "Fahmi", "Ridwan", "Syahrul", "Baginda", "Torang", "Jonni",
]
BATAK_F_FIRST = [
    "Maria", "Rosmawati", "Lamria", "Ruth", "Debora", "Nurhayati", "Rosida", "Sondang",
    "Tiurma", "Hotnida", "Lasma", "Dame", "Rumiris", "Friska", "Yohana", "Elisabeth", "Roma",
    "Sarma", "Tiominar", "Rotua", "Masniari", "Lenny",
]
MARGA = [
    "Siregar", "Harahap", "Nasution", "Lubis", "Hasibuan", "Simanjuntak", "Sitompul",
    "Hutapea", "Nainggolan", "Silalahi", "Situmorang", "Sinaga", "Hutagalung", "Pardede",
    "Manurung", "Sihombing", "Tambunan", "Simatupang", "Panjaitan", "Siahaan", "Sitorus",
    "Pasaribu", "Ginting", "Sembiring", "Tarigan", "Purba", "Saragih", "Damanik", "Sinulingga",
    "Perangin-angin", "Daulay", "Ritonga", "Pohan", "Batubara", "Hutabarat", "Marpaung",
    "Napitupulu", "Simbolon", "Sirait", "Gultom", "Aritonang", "Lumbantobing", "Sianturi",
    "Simamora", "Tampubolon", "Butarbutar", "Rangkuti", "Matondang",
]
MINANG_M = [
    "Afrizal", "Syafrizal", "Yusrizal", "Zulhendri", "Erianto", "Hendri", "Efendi",
    "Zulfikar", "Rusli", "Yulizar", "Asrul", "Firdaus", "Nasrul", "Jasman", "Irfan",
    "Fadhil", "Andri", "Syahrul", "Yuhendri", "Mardianto", "Khairul", "Darmawi",
]
MINANG_F = [
    "Rosmaniar", "Yulnita", "Nelly", "Syafrida", "Yusnidar", "Desmawati", "Erlinda", "Yelfi",
    "Nurhasni", "Rahmi", "Yenni", "Elvira", "Mardiana", "Rosna", "Asmawati", "Zurniati",
    "Yusmaniar", "Nurjannah", "Yurnalis", "Efriyanti",
]
SUKU = ["Chaniago", "Piliang", "Koto", "Sikumbang", "Tanjung", "Jambak", "Guci", "Sipisang"]
BALI_ORDER = ["Wayan", "Putu", "Gede", "Made", "Kadek", "Nengah", "Nyoman", "Komang", "Ketut"]
BALI_M = [
    "Sudarsana", "Suardana", "Adnyana", "Wirawan", "Arsana", "Sukerta", "Mertayasa",
    "Suastika", "Widiana", "Ariawan", "Sudiarta", "Budiarta", "Artawan", "Sedana", "Suparta",
    "Wiranata", "Kariasa", "Astawa", "Sumerta", "Juliarta", "Suweca", "Darmaputra",
    "Yudiana", "Sujana", "Suarjaya",
]
BALI_F = [
    "Wahyuni", "Suciati", "Ariani", "Mahayani", "Kusumadewi", "Sriasih", "Widiastuti",
    "Suartini", "Sukarini", "Lestari", "Purnamasari", "Darmayanti", "Astiti", "Suryaningsih",
    "Yuliantari", "Budiasih", "Sumiartini", "Juliani", "Sudiani", "Artini",
]
MANADO_M_FIRST = [
    "Yohanes", "Stefanus", "Fransiskus", "Agustinus", "Paulus", "Petrus", "Albertus", "Frans",
    "Johny", "Ronald", "Steven", "Jefri", "Alfons", "Hendrik", "Marthen", "Yosef",
    "Alexander", "Christian", "Rocky", "Reinhard", "Benediktus", "Yeremia",
]
MANADO_F_FIRST = [
    "Maria", "Kristina", "Yuliana", "Theresia", "Veronika", "Meiske", "Olivia", "Grace",
    "Natalia", "Anneke", "Jeane", "Vivi", "Stella", "Febiola", "Margaretha", "Agustina",
    "Fransiska", "Magdalena", "Yohana", "Selvi",
]
MANADO_SECOND = {  # long Catholic/Protestant double names, for names that need truncating
    "M": ["Xaverius", "Yohanes", "Paulus", "Christian", "Kristianto", "Benediktus", "Yosef"],
    "F": ["Magdalena", "Margaretha", "Yohana", "Theresia", "Christina", "Veronika"],
}
MANADO_LAST = [
    "Lumintang", "Wowor", "Tuhumury", "Latuconsina", "Sahetapy", "Sumampouw", "Rumengan",
    "Pangemanan", "Mandagi", "Tumbelaka", "Rondonuwu", "Lasut", "Karundeng", "Walangitan",
    "Kaunang", "Mamesah", "Supit", "Tambayong", "Manuputty", "Pattiasina", "Wattimena",
    "Tupamahu", "Sapulette", "Ririmasse", "Leiwakabessy", "Loupatty", "Tahitu", "Rumagit",
    "Tumiwa", "Lengkong", "Pantouw", "Kalalo",
]
TIONGHOA_M_FIRST = [
    "Hendra", "Kevin", "Stefanus", "Budi", "Andreas", "Michael", "Daniel", "Felix", "Vincent",
    "William", "Hendrik", "Robert", "Sugianto", "Johan", "Ferry", "Eddy", "Jimmy", "Yohanes",
    "Lukas", "Rudy", "Steven", "Adrian", "Gunadi", "Wilson",
]
TIONGHOA_F_FIRST = [
    "Cindy", "Melissa", "Yuliana", "Linda", "Lanny", "Meliana", "Fransiska", "Stella",
    "Natalia", "Erika", "Wenny", "Liliana", "Irene", "Lisa", "Mei", "Evelyn", "Sherly",
    "Vivian", "Susanti", "Jenny",
]
TIONGHOA_LAST = [
    "Wijaya", "Halim", "Tanujaya", "Kusuma", "Hartanto", "Gunawan", "Santoso", "Lianto",
    "Sutanto", "Setiadi", "Tjandra", "Limanto", "Tanuwijaya", "Gozali", "Kurniawan",
    "Wibisono", "Hadinata", "Sanjaya", "Lukito", "Susilo", "Kosasih", "Cahyadi", "Sugiharto",
    "Budiman", "Darmawan", "Tedja", "Gunadi", "Harjono", "Pranoto", "Chandra", "Hendrawan",
    "Wiguna", "Tanamal", "Lesmana",
]
MALAY_M = [
    "Ahmad", "Abdul Rahman", "Ismail", "Azman", "Faizal", "Hafiz", "Azlan", "Shahrul",
    "Khairul", "Zulkifli", "Amirul", "Hakim", "Firdaus", "Syafiq", "Aiman", "Haziq", "Izzat",
    "Nazri", "Rosli", "Kamarul", "Roslan", "Zainal", "Hisham", "Fadzil", "Rizal", "Aizat",
    "Syahmi", "Azri", "Nizam", "Shukri",
]
MALAY_F = [
    "Siti", "Nur", "Nurul", "Noor", "Aminah", "Fatimah", "Aisyah", "Zuraidah", "Rohani",
    "Norazlina", "Farah", "Syafiqah", "Aqilah", "Nabilah", "Hidayah", "Zarina", "Salmah",
    "Rosnah", "Norhayati", "Azizah", "Hasnah", "Faridah", "Suhaila", "Sakinah", "Amirah",
    "Athirah",
]
MALAY_F_SECOND = ["Aishah", "Aminah", "Nabilah", "Syafiqah", "Amirah", "Hidayah", "Farhana", "Atiqah", "Izzati"]
MALAY_FATHER = [
    "Ismail", "Ibrahim", "Abdullah", "Hassan", "Hussein", "Yusof", "Osman", "Ahmad",
    "Abdul Rahman", "Abdul Aziz", "Ali", "Omar", "Salleh", "Kassim", "Hamid", "Rahim",
    "Razali", "Zakaria", "Mahmud", "Jaafar", "Sulaiman", "Idris", "Yaakob", "Daud", "Harun",
    "Musa", "Ramli", "Rashid", "Jusoh", "Awang", "Hashim", "Khalid", "Mohd Noor", "Abu Bakar",
    "Khairuddin", "Kamaruddin",
]
HADHRAMI_CLAN = [
    "Al-Habsyi", "Alatas", "Assegaf", "Aljufri", "Alkaff", "Alaydrus", "Bafadhal",
    "Basalamah", "Bahasyim", "Almuhdor", "Bawazier", "Alhamid",
]
KUNYA = [
    "Abu Hanif", "Abu Zaid", "Abu Faris", "Abu Hamzah", "Abu Yahya", "Abu Ilyas",
    "Abu Salman", "Abu Khalid", "Abu Huda", "Abu Musa", "Abu Rayyan", "Abu Usamah",
]

MONONYM_M = [
    "Sukirno", "Sumarno", "Paiman", "Poniman", "Wagiman", "Karyono", "Sutarjo", "Parjo",
    "Tukijo", "Wagiyo", "Kasno", "Sukardi", "Sunardi", "Warsito", "Darmadi", "Rusdi",
    "Kasiman", "Ponijan", "Rasimin", "Misran", "Tarmuji", "Samsudin", "Maman", "Jumadi",
    "Sudarsono", "Kadirun", "Suwardi", "Suyitno", "Tukimin", "Sarimin", "Ngadiman",
    "Sukimin", "Suparno", "Sumadi", "Suyanto", "Warsono", "Sukadi", "Mujiono", "Yatno",
    "Sumardi", "Jumiran", "Sajiman", "Marsono", "Tugiman", "Sujono", "Kardi", "Sarijan",
    "Juwarno", "Cipto", "Suyatno", "Yuwono", "Sutejo",
]
MONONYM_F = [
    "Ngatini", "Sukinah", "Tukiyem", "Suparmi", "Juminten", "Painem", "Sumirah", "Sumiati",
    "Marni", "Warsini", "Suyati", "Sukarti", "Tumini", "Rukiah", "Juariah", "Rusmini",
    "Sarmi", "Tuminah", "Sumini", "Ngatiyem", "Wagiyem", "Sumarni", "Suwarni", "Poniyem",
    "Kasmini", "Sutini", "Jumiati", "Rohani", "Maryati", "Sunarsih", "Wartini", "Yatmi",
    "Ponirah", "Supini", "Sriyati", "Darmi", "Legiyem", "Cahyati", "Juwariyah", "Suyatmi",
]

# Muhammad: more than twenty spellings and abbreviations.
MUHAMMAD_FORMS = [
    "Muhammad", "Muhamad", "Mohammad", "Mohamad", "Mohammed", "Mohamed", "Muhammed",
    "Muhamed", "Mochammad", "Mochamad", "Moehammad", "Moehamad", "Muchammad", "Muchamad",
    "Mohamat", "Mochamat", "Mohd", "Muhd", "Moh", "Moch", "Muh", "Mhd", "Md", "M",
]
MUHAMMAD_ABBREV = {"Mohd", "Muhd", "Moh", "Moch", "Muh", "Mhd", "Md", "M"}
MUHAMMAD_MYS = ["Muhammad", "Mohammad", "Mohamad", "Mohd", "Muhamad", "Mohamed", "Md", "Muhd", "Mohammed"]
MUHAMMAD_CANON = {f.lower() for f in MUHAMMAD_FORMS}

# Arabic-derived names written in several ways. The first form is the base (modern
# Indonesian) one; "idn_only" forms use the pre-1972 Indonesian spelling.
ARABIC_GROUPS = [
    ["Abdul Rahman", "Abdurrahman", "Abd. Rahman", "Abdurahman", "Abdulrahman", "Abdul Rachman", "Abdul Rohman"],
    ["Abdul Aziz", "Abdulaziz", "Abd. Aziz", "Abdul Azis", "Abdelaziz"],
    ["Abdul Karim", "Abdulkarim", "Abd. Karim", "Abdul Kareem"],
    ["Abdul Hakim", "Abdulhakim", "Abd. Hakim", "Abdul Hakeem"],
    ["Abdul Majid", "Abdulmajid", "Abd. Majid", "Abdul Madjid", "Abdul Majeed"],
    ["Abdul Latif", "Abdullatif", "Abd. Latif", "Abdul Lathif", "Abdul Latief"],
    ["Abdul Ghani", "Abdulghani", "Abd. Ghani", "Abdul Gani"],
    ["Abdul Wahab", "Abdulwahab", "Abd. Wahab", "Abdul Wahhab"],
    ["Abdullah", "Abdallah", "Abdulah", "Abdoellah"],
    ["Husein", "Hussein", "Husain", "Husin", "Hussain", "Hoesein"],
    ["Hasan", "Hassan"],
    ["Yusuf", "Yusof", "Joesoef", "Yousef", "Yusup", "Yussuf"],
    ["Nur", "Noor", "Nor", "Noer", "Nour"],
    ["Abu Bakar", "Abubakar", "Abu Bakr", "Abubakr", "Aboebakar"],
    ["Ahmad", "Achmad", "Ahmed", "Akhmad", "Achmat"],
    ["Usman", "Utsman", "Othman", "Osman", "Oesman"],
    ["Umar", "Omar", "Oemar"],
    ["Zainal Abidin", "Zainalabidin", "Zainul Abidin", "Zaenal Abidin"],
    ["Syarifuddin", "Syarifudin", "Sjarifuddin", "Sharifuddin", "Syarif Uddin"],
    ["Jalaluddin", "Jalaludin", "Djalaluddin", "Jalal Uddin"],
    ["Nuruddin", "Nurudin", "Nur Uddin", "Noeroeddin"],
    ["Syamsuddin", "Syamsudin", "Samsudin", "Sjamsuddin", "Shamsuddin"],
    ["Fatimah", "Fatima", "Fathimah", "Fatmah"],
    ["Aisyah", "Aisah", "Aishah", "Aisya", "Aisjah"],
    ["Khadijah", "Khadija", "Chadidjah", "Hadijah", "Khodijah"],
    ["Zulkifli", "Zulkifly", "Dzulkifli", "Zoelkifli"],
    ["Taufik", "Taufiq", "Taufiek", "Tofik"],
    ["Lukman", "Luqman", "Loekman"],
    ["Rifai", "Rifa'i", "Rifaie", "Rifa'ie"],
    ["Syafii", "Syafi'i", "Safii", "Shafie", "Sjafii"],
    ["Ismail", "Ismael", "Isma'il"],
    ["Ibrahim", "Ebrahim", "Iberahim"],
    ["Sulaiman", "Sulaeman", "Soelaiman", "Suleiman", "Sulayman"],
    ["Hidayatullah", "Hidayatulloh", "Hidajatullah"],
    ["Khairul", "Chairul", "Khoirul", "Khairol"],
    ["Ramadhan", "Ramadan", "Romadhon"],
    ["Zainuddin", "Zainudin", "Zaenuddin"],
    ["Al-Habsyi", "Alhabsyi", "Al Habsyi", "Al-Habshi", "Habsyi"],
    ["Alatas", "Al-Attas", "Al Attas", "Alattas"],
    ["Assegaf", "Assegaff", "Al-Saqqaf", "Assagaf", "Al Segaf"],
    ["Aljufri", "Al-Jufri", "Al Jufrie", "Al-Jufrie"],
    ["Alkaff", "Al-Kaff", "Al Kaff", "Alkaf"],
    ["Alaydrus", "Al-Aidarus", "Al Aidrus", "Alaidrus"],
    ["Alhamid", "Al-Hamid", "El-Hamid", "Al Hamid"],
    ["Almuhdor", "Al-Muhdhar", "Al Muhdor", "Almuhdhar"],
    ["Salleh", "Saleh", "Shaleh", "Soleh"],
    ["Yaakob", "Yakub", "Yaakub", "Ya'kub", "Jacoeb"],
    ["Kassim", "Kasim", "Qasim", "Qassim"],
    ["Jaafar", "Jafar", "Ja'far", "Djafar"],
    ["Hashim", "Hasyim", "Hasjim", "Hashem"],
    ["Rashid", "Rasyid", "Rasjid", "Rasheed"],
    ["Khalid", "Chalid", "Kholid", "Khaled"],
    ["Daud", "Dawud", "Daoed", "Dawood"],
    ["Musa", "Moesa", "Mousa"],
    ["Idris", "Idrees", "Edris"],
    ["Mahmud", "Mahmood", "Machmud", "Mahmoed"],
    ["Kamaruddin", "Kamarudin", "Qamaruddin"],
    ["Khairuddin", "Khairudin", "Chairuddin", "Khoiruddin"],
]
ARABIC_INDEX = {}
for _gi, _g in enumerate(ARABIC_GROUPS):
    for _v in _g:
        ARABIC_INDEX.setdefault(_v, _gi)
BIN_FORMS = ["bin", "b.", "bn"]
BINTI_FORMS = ["binti", "bt.", "bte", "bt"]

# Chinese-Indonesian family names: Indonesian (Hokkien/Hakka, old and new) spellings, then
# the Mandarin pinyin form.
CN_FAMILIES = [
    (["Tan", "Tjhin", "Tjan", "Chin"], "Chen"),
    (["Lim", "Liem"], "Lin"),
    (["Oei", "Oey", "Wee", "Ng"], "Huang"),
    (["Kwee", "Kwe", "Kwik"], "Guo"),
    (["Tjoa", "Chua", "Coa"], "Cai"),
    (["Go", "Goh", "Gouw"], "Wu"),
    (["Kho", "Khoo", "Khouw"], "Xu"),
    (["Lie", "Lee"], "Li"),
    (["Ong", "Ong"], "Wang"),
    (["Tjia", "Chia", "Cia"], "Xie"),
    (["Tjong", "Chong", "Cong"], "Zhong"),
    (["Liauw", "Liaw"], "Liao"),
    (["Thio", "Tio", "Teo"], "Zhang"),
    (["The", "Teh", "Tee"], "Zheng"),
    (["Yap", "Jap"], "Ye"),
]
# Given-name syllables: (pre-1972 Indonesian, current Indonesian, pinyin, F/M/U)
CN_SYLLABLES = [
    ("Hok", "Hok", "Fu", "M"), ("Liong", "Liong", "Long", "M"), ("Kian", "Kian", "Jian", "M"),
    ("Beng", "Beng", "Ming", "U"), ("Hoa", "Hwa", "Hua", "F"), ("Tjin", "Cin", "Zhen", "F"),
    ("Gie", "Gie", "Yi", "M"), ("Kiat", "Kiat", "Jie", "M"), ("Seng", "Seng", "Sheng", "M"),
    ("Tiong", "Tiong", "Zhong", "M"), ("Hian", "Hian", "Xian", "U"), ("Lian", "Lian", "Lian", "F"),
    ("Eng", "Eng", "Ying", "F"), ("Bie", "Bie", "Mei", "F"), ("Hoei", "Hui", "Hui", "U"),
    ("Djin", "Jin", "Ren", "M"), ("Swie", "Swi", "Rui", "U"), ("Tek", "Tek", "De", "M"),
    ("Soen", "Sun", "Shun", "M"), ("Khing", "Khing", "Qing", "F"), ("Giok", "Giok", "Yu", "F"),
    ("Hong", "Hong", "Feng", "F"), ("Kong", "Kong", "Guang", "M"), ("Tjoen", "Cun", "Chun", "U"),
    ("Sioe", "Siu", "Xiu", "F"), ("Kim", "Kim", "Jin", "U"), ("San", "San", "Shan", "M"),
    ("Kok", "Kok", "Guo", "M"), ("Boen", "Bun", "Wen", "U"), ("An", "An", "An", "U"),
    ("Peng", "Peng", "Ping", "U"), ("Tjie", "Cie", "Zhi", "U"), ("Lan", "Lan", "Lan", "F"),
    ("Hwat", "Hwat", "Fa", "M"), ("Tjay", "Cay", "Cai", "M"),
]

# Names that are one or two letters apart but are different names: (a, sex_a, b, sex_b, slot)
LOOKALIKES = [
    ("Sari", "F", "Sara", "F", "first"), ("Dewi", "F", "Dewa", "M", "first"),
    ("Andi", "M", "Indi", "F", "first"), ("Rudi", "M", "Budi", "M", "first"),
    ("Yanti", "F", "Santi", "F", "first"), ("Rina", "F", "Rini", "F", "first"),
    ("Dian", "F", "Dina", "F", "first"), ("Agus", "M", "Bagus", "M", "first"),
    ("Eko", "M", "Edo", "M", "first"), ("Tono", "M", "Toni", "M", "first"),
    ("Susi", "F", "Suci", "F", "first"), ("Wulan", "F", "Bulan", "F", "first"),
    ("Indah", "F", "Indra", "M", "first"), ("Irma", "F", "Irna", "F", "first"),
    ("Tina", "F", "Tini", "F", "first"), ("Rani", "F", "Rina", "F", "first"),
    ("Heru", "M", "Hari", "M", "first"), ("Wawan", "M", "Iwan", "M", "first"),
    ("Herman", "M", "Hermawan", "M", "first"), ("Dodi", "M", "Dedi", "M", "first"),
    ("Roni", "M", "Rino", "M", "first"), ("Amin", "M", "Amir", "M", "first"),
    ("Hamid", "M", "Hamdi", "M", "first"), ("Nina", "F", "Nana", "F", "first"),
    ("Putri", "F", "Putra", "M", "first"), ("Rudi", "M", "Rusdi", "M", "first"),
    ("Arif", "M", "Arifin", "M", "first"), ("Rahmat", "M", "Rahman", "M", "first"),
    ("Fauzi", "M", "Fauzan", "M", "first"), ("Mira", "F", "Maria", "F", "first"),
    ("Setiawan", "M", "Setiawati", "F", "last"), ("Kurniawan", "M", "Kurniawati", "F", "last"),
    ("Haryanto", "M", "Haryanti", "F", "last"), ("Yulianto", "M", "Yulianti", "F", "last"),
    ("Purwanto", "M", "Purwanti", "F", "last"), ("Suwarno", "M", "Suwarni", "F", "last"),
    ("Sumarno", "M", "Sumarni", "F", "last"), ("Sutrisno", "M", "Sutrisni", "F", "last"),
    ("Wahyudi", "M", "Wahyuni", "F", "last"), ("Suryadi", "M", "Suryani", "F", "last"),
    ("Hidayat", "M", "Hidayah", "F", "last"), ("Darmawan", "M", "Darmawati", "F", "last"),
    ("Wibowo", "M", "Widodo", "M", "last"), ("Sumarno", "M", "Sumardi", "M", "last"),
    ("Tan", "U", "Tang", "U", "family"), ("Ong", "U", "Ang", "U", "family"),
    ("Go", "U", "Ko", "U", "family"), ("Yanto", "M", "Yanti", "F", "last"),
]

UNISEX_GIVEN = ["Eka", "Dwi", "Tri", "Catur", "Ade", "Dede", "Ari", "Nur", "Yuli", "Rizki",
                "Andi", "Kris", "Lilik", "Wahyu", "Endang", "Yosi", "Dani"]
UNISEX_FAMILY = MARGA + MANADO_LAST + ["Wijaya", "Halim", "Kusuma", "Tanujaya", "Tjandra",
                                      "Limanto", "Gozali", "Lesmana", "Hadinata"]

NAT_OTHER = {  # plausible other nationalities for the "other nationality" pairs
    "default": ["MYS", "SGP", "BRN", "NLD", "AUS", "TLS"],
    "malay": ["IDN", "SGP", "BRN"],
    "cn": ["SGP", "MYS", "CHN", "TWN", "HKG"],
    "tionghoa": ["SGP", "MYS", "AUS", "USA"],
    "arab": ["MYS", "SAU", "YEM", "ARE", "EGY"],
    "hadhrami": ["SAU", "YEM", "MYS", "SGP"],
    "manado": ["NLD", "AUS", "PHL", "USA"],
}

# --------------------------------------------------------------------------------------------
# Well-known people: any generated name containing all parts of one of these (compared after
# folding old/new spellings and Muhammad forms) is skipped. Parts in FAMOUS_PARTS are never
# used at all.
# --------------------------------------------------------------------------------------------
FAMOUS = """
Joko Widodo; Susilo Bambang Yudhoyono; Megawati Sukarnoputri; Abdurrahman Wahid; Bacharuddin Jusuf Habibie;
Jusuf Kalla; Maruf Amin; Prabowo Subianto; Gibran Rakabuming; Anies Baswedan; Ganjar Pranowo;
Basuki Tjahaja Purnama; Basuki Purnama; Basuki Hadimuljono; Sri Mulyani; Try Sutrisno; Adam Malik; Hamzah Haz;
Umar Wirahadikusumah; Mohammad Hatta; Muhammad Yamin; Mohammad Natsir; Muhammad Husni Thamrin;
Mohammad Mahfud; Muhammad Ali; Muhammad Iqbal; Muhammad Yunus; Mohamed Salah; Muhammad Salah;
Mohammed Salman; Mohamad Hasan; Mohammad Nuh; Muhammad Nazaruddin; Mohammad Ahsan; Muhammad Rian Ardianto;
Lalu Muhammad Zohri; Muhammad Rizieq Shihab; Muhammad Jibriel; Mohammad Roem; Mohammad Toha; Mohamad Sabu;
Muhammad Lutfi; Agus Salim; Ahmad Yani; Ahmad Dahlan; Ahmad Dhani; Ahmad Albar; Ahmad Heryawan;
Abdul Somad; Yusuf Mansur; Adi Hidayat; Abdul Haris Nasution; Taufik Hidayat; Hendra Setiawan;
Dewi Lestari; Dewi Sandra; Dewi Persik; Dewi Sartika; Ratna Sari Dewi; Ratna Sarumpaet; Siti Nurhaliza;
Siti Nurbaya; Siti Hartinah; Siti Hardiyanti; Tri Rismaharini; Ridwan Kamil; Sandiaga Uno; Erick Thohir;
Retno Marsudi; Zulkifli Hasan; Hidayat Nur Wahid; Fahri Hamzah; Amien Rais; Akbar Tanjung; Feisal Tanjung;
Chairul Tanjung; Chaerul Saleh; Khairul Saleh; Ali Sadikin; Ali Murtopo; Ali Alatas; Ali Imron; Ali Ghufron;
Ali Fauzi; Ali Kalora; Aman Abdurrahman; Abu Bakar Baasyir; Azahari Husin; Noordin Top; Umar Patek;
Umar Faruq; Imam Samudra; Encep Nurjaman; Joko Pitono; Para Wijayanto; Abu Jibril; Abu Dujana;
Setya Novanto; Gayus Tambunan; Djoko Tjandra; Joko Tjandra; Harun Masiku; Eddy Tansil; Sjamsul Nursalim;
Bambang Sutrisno; Hendra Rahardja; Maria Lumowa; Anggoro Widjojo; Nunun Nurbaeti; Akil Mochtar;
Luthfi Hasan; Angelina Sondakh; Jessica Wongso; Raffi Ahmad; Rizky Febian; Rizky Billar; Nicholas Saputra;
Reza Rahadian; Raisa Andriana; Maudy Ayunda; Anang Hermansyah; Iis Dahlia; Ayu Azhari; Andhika Pratama;
Bunga Citra Lestari; Elvy Sukaesih; Desy Ratnasari; Bambang Pamungkas; Kurniawan Dwi Yulianto;
Egy Maulana; Rizky Ridho; Pratama Arhan; Kevin Sanjaya; Apriyani Rahayu; Anthony Ginting; Fajar Alfian;
Ricky Subagja; Candra Wijaya; Tony Gunawan; Haryanto Arbi; Joko Supriyanto; Ivana Lie; Eko Yuli Irawan;
Suryo Agung Wibowo; Rahmat Erwin Abdullah; Budi Gunadi; Budi Karya; Budi Arie; Budi Hartono;
Michael Hartono; Rudy Hartono; Alan Budikusuma; Susi Susanti; Susi Pudjiastuti; Ida Fauziyah; Dedi Mulyadi;
Fauzi Bowo; Hadi Tjahjanto; Andika Perkasa; Agus Subiyanto; Agus Harimurti; Djoko Santoso; Djoko Suyanto;
Sarwo Edhie Wibowo; Pramono Edhie Wibowo; Benny Murdani; Gatot Subroto; Gatot Nurmantyo; Slamet Riyadi;
Cipto Mangunkusumo; Sutan Sjahrir; Wahid Hasyim; Hasyim Asyari; Burhanuddin Abdullah; Burhanuddin Harahap;
Anthoni Salim; Sudono Salim; Sukanto Tanoto; Tomy Winata; Eka Tjipta Widjaja; Rusdi Kirana; Dahlan Iskan;
Liem Sioe Liong; Liem Swie King; Kwik Kian Gie; Guo Jianyi; Lie Kim Hok; Yap Thiam Hien; Siauw Giok Tjhan;
Kho Ping Hoo; Ong Hok Ham; Tan Joe Hok; Oei Tiong Ham; Lim Guan Eng; Lim Kit Siang; Lee Kuan Yew;
Lee Hsien Loong; Lee Chong Wei; Goh Chok Tong; Tan Malaka; Anwar Ibrahim; Najib Razak; Ismail Sabri;
Abdullah Badawi; Halimah Yacob; Husein Alhabsyi; Salim Segaf; Salim Aljufri; Lutfi Yahya; Munir Thalib;
Hamid Algadri; Teuku Umar; Thomas Matulessy; Greysia Polii; Marcus Gideon; Budi Utomo; Sukmawati;
Puan Maharani; Agus Gumiwang; Agus Martowardojo; Kristiani Herrawati; Chris John; Bobby Nasution;
Abdullah Gymnastiar; Quraish Shihab; Yusril Mahendra; Khofifah Parawansa; Emil Dardak; Tito Karnavian;
Hendro Priyono; Agum Gumelar; Wiranto; Moeldoko; Boediono; Sutiyoso; Santoso; Hambali; Amrozi; Mukhlas;
Dulmatin; Tulus; Judika; Syahrini; Krisdayanti; Kartini; Fatmawati; Sjahrir; Djuanda; Supriyadi; Sugiono;
Mulyono; Iriana; Tahir; Ciputra; Sule; Tompi; Afgan; Inul; Rossa; Zulkarnaen; Haryono; Suprapto; Katamso;
Sutomo; Sukarni; Natsir; Hatta; Wikana; Diponegoro; Sudirman; Suharto; Sukarno; Sudharmono; Sudomo
"""
FAMOUS_PARTS = """
Suharto Sukarno Sukarnoputri Habibie Yudhoyono Megawati Baswedan Prabowo Jokowi Rizieq Shihab Baasyir
Basyir Masiku Tansil Gayus Nazaruddin Mahathir Azhari Azahari Amrozi Hambali Dulmatin Samudra Patek
Kalora Pitono Nurjaman Mahfud Hatta Natsir Thamrin Kalla Novanto Pudjiastuti Rismaharini Sambo Zohri
Nurmantyo Djojohadikusumo Joyohadikusumo Soebandrio Lumowa Nursalim Wongso Bakrie Paloh Riady Pangestu
Tanoto Winata Ahok Sukaesih Algadri Faruq Jibriel Jibril Zulkarnaen Zulkarnain Dujana
"""


def strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def canon(word: str) -> str:
    """Folds a name part for comparison: case, old/new spelling, common transliterations."""
    w = re.sub(r"[^a-z]", "", strip_accents(word).lower())
    if w in MUHAMMAD_CANON:
        return "muhammad"
    for a, b in (("oe", "u"), ("dj", "j"), ("tj", "c"), ("ch", "k"), ("kh", "k"), ("dh", "d"),
                 ("th", "t"), ("sj", "s"), ("sy", "s"), ("sh", "s"), ("nj", "n"), ("ny", "n"),
                 ("j", "i"), ("y", "i"), ("ae", "ai"), ("ie", "i"), ("ee", "i"), ("oo", "u"),
                 ("q", "k"), ("z", "s"), ("ph", "f"), ("v", "f")):
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w)


def words(units) -> list[str]:
    out = []
    for u in units:
        out.extend(w for w in re.split(r"[\s\-.]+", u) if w)
    return out


FAMOUS_CANON = [[canon(w) for w in entry.split()] for entry in
                (e.strip() for e in FAMOUS.replace("\n", " ").split(";")) if entry]
FAMOUS_PART_CANON = {canon(w) for w in FAMOUS_PARTS.split()}
PARTICLES = {"bin", "binti", "bt", "bte", "bn", "b", "al", "el", "i", "ni"}


def is_famous(units) -> bool:
    toks = [canon(w) for w in words(units)]
    toks = [t for t in toks if t and t not in PARTICLES]
    if any(t in FAMOUS_PART_CANON for t in toks):
        return True
    tokset = set(toks)
    joined = "".join(toks)
    for entry in FAMOUS_CANON:
        if len(entry) == 1:
            if toks == entry:
                return True
        elif all(t in tokset for t in entry) or "".join(entry) in joined:
            return True
    return False


ALL_PARTS = set()
for _lst in (JAVA_M_FIRST, JAVA_M_LAST, JAVA_F_FIRST, JAVA_F_LAST, SUNDA_M_FIRST, SUNDA_M_LAST,
             SUNDA_F_FIRST, SUNDA_F_LAST, MODERN_M_FIRST, MODERN_M_MID, MODERN_M_LAST,
             MODERN_F_FIRST, MODERN_F_MID, MODERN_F_LAST, MUSLIM_M_FIRST, MUSLIM_M_LAST,
             MUSLIM_F_FIRST, MUSLIM_F_LAST, BATAK_M_FIRST, BATAK_F_FIRST, MARGA, MINANG_M,
             MINANG_F, SUKU, BALI_ORDER, BALI_M, BALI_F, MANADO_M_FIRST, MANADO_F_FIRST,
             MANADO_LAST, TIONGHOA_M_FIRST, TIONGHOA_F_FIRST, TIONGHOA_LAST, MALAY_M, MALAY_F,
             MALAY_F_SECOND, MALAY_FATHER, HADHRAMI_CLAN, MONONYM_M, MONONYM_F, MUHAMMAD_FORMS,
             UNISEX_GIVEN, [a for a, *_ in LOOKALIKES], [x[2] for x in LOOKALIKES]):
    for _u in _lst:
        for _w in words([_u]):
            ALL_PARTS.add(_w.lower())
for _g in ARABIC_GROUPS:
    for _w in words(_g):
        ALL_PARTS.add(_w.lower())
for _hk, _py in CN_FAMILIES:
    ALL_PARTS.update(x.lower() for x in _hk + [_py])
for _s in CN_SYLLABLES:
    ALL_PARTS.update(x.lower() for x in _s[:3])

# --------------------------------------------------------------------------------------------
# People and pairs
# --------------------------------------------------------------------------------------------


class Person:
    def __init__(self, given, family, sex, dob, nat, style, order="gf", mrz="split", cn=None):
        self.given = list(given)      # name units (an "Abdul Rahman" is one unit)
        self.family = list(family)    # units that go in the MRZ primary identifier
        self.sex = sex
        self.dob = dob                # [y, m, d], None for an unknown part
        self.nat = nat
        self.style = style
        self.order = order            # listed order: "gf" given first, "fg" family first
        self.mrz = mrz                # split | all_surname | mono_S | mono_G | mono_SG
        self.cn = cn                  # (family group, [syllable indexes]) for Chinese names

    def units(self):
        return self.given + self.family if self.order == "gf" else self.family + self.given

    def mononym(self):
        return not self.given and len(self.family) == 1


class Pair:
    def __init__(self, p: Person):
        self.person = p
        self.q_given = list(p.given)
        self.q_family = list(p.family)
        self.layout = p.mrz
        self.l_names = [p.units()]
        self.q_dob = list(p.dob) if p.dob else None
        self.l_dob = list(p.dob) if p.dob else None
        self.q_sex = self.l_sex = p.sex
        self.q_nat = self.l_nat = p.nat
        self.protect = set()          # units a later respelling must leave alone

    def q_units(self):
        return self.q_given + self.q_family


def rand_dob(rng, lo=1950, hi=2005):
    y = rng.randint(lo, hi)
    m = rng.randint(1, 12)
    d = rng.randint(1, [31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1])
    return [y, m, d]


def other_dob(rng, dob, min_years=3, max_years=30):
    while True:
        dy = rng.randint(min_years, max_years) * rng.choice([-1, 1])
        y = dob[0] + dy
        if 1935 <= y <= 2008:
            nd = rand_dob(rng, y, y)
            return nd


def pick_nat(rng, style):
    if style == "malay":
        return rng.choices(["MYS", "BRN", "SGP"], [80, 10, 10])[0]
    if style in ("cn", "tionghoa"):
        return rng.choices(["IDN", "SGP", "MYS"], [85, 8, 7])[0]
    return "IDN"


def distinct(rng, lst, k, avoid=()):
    avoid_c = {canon(a) for a in avoid}
    pool = [x for x in lst if canon(x) not in avoid_c]
    out = []
    while len(out) < k:
        x = rng.choice(pool)
        if canon(x) not in {canon(o) for o in out}:
            out.append(x)
    return out


STYLE_WEIGHTS = [("jawa", 24), ("sunda", 9), ("modern", 14), ("muslim", 12), ("batak", 10),
                 ("minang", 5), ("bali", 6), ("manado", 5), ("tionghoa", 5), ("cn", 4),
                 ("malay", 6)]


def make_person(rng, style=None, sex=None, long=False, old=False, nat=None):
    """A random invented person of the given style; retried until not a famous name."""
    for _ in range(1000):
        st = style or rng.choices([s for s, _ in STYLE_WEIGHTS], [w for _, w in STYLE_WEIGHTS])[0]
        sx = sex or rng.choice("MF")
        p = _make_person(rng, st, sx, long)
        if p is None:
            continue
        p.dob = rand_dob(rng, 1935, 1975) if old else rand_dob(rng)
        p.nat = nat or pick_nat(rng, st)
        if p.style == "malay" and p.nat in ("MYS", "BRN", "SGP"):
            p.mrz = "all_surname"
        if not is_famous(p.units()):
            return p
    raise RuntimeError("could not make a person")


def _make_person(rng, st, sx, long):
    n_given = 2 if (long or rng.random() < 0.3) else 1
    if st == "jawa":
        first = JAVA_M_FIRST if sx == "M" else JAVA_F_FIRST
        last = JAVA_M_LAST if sx == "M" else JAVA_F_LAST
        g = distinct(rng, first, n_given)
        return Person(g, distinct(rng, last, 1, g), sx, None, None, st)
    if st == "sunda":
        first = SUNDA_M_FIRST if sx == "M" else SUNDA_F_FIRST
        last = SUNDA_M_LAST if sx == "M" else SUNDA_F_LAST
        g = distinct(rng, first, 1)
        fam = distinct(rng, last, 1, g)
        if " " in fam[0]:
            return None
        return Person(g, fam, sx, None, None, st)
    if st == "modern":
        first, mid, last = ((MODERN_M_FIRST, MODERN_M_MID, MODERN_M_LAST) if sx == "M"
                            else (MODERN_F_FIRST, MODERN_F_MID, MODERN_F_LAST))
        g = distinct(rng, first, 1)
        if n_given == 2:
            g += distinct(rng, mid, 1, g)
        return Person(g, distinct(rng, last, 1, g), sx, None, None, st)
    if st == "muslim":
        first = MUSLIM_M_FIRST if sx == "M" else MUSLIM_F_FIRST
        last = MUSLIM_M_LAST if sx == "M" else MUSLIM_F_LAST
        g = distinct(rng, first, n_given)
        return Person(g, distinct(rng, last, 1, g), sx, None, None, st)
    if st == "batak":
        g = distinct(rng, BATAK_M_FIRST if sx == "M" else BATAK_F_FIRST, n_given)
        return Person(g, [rng.choice(MARGA)], sx, None, None, st)
    if st == "minang":
        g = distinct(rng, MINANG_M if sx == "M" else MINANG_F, 1)
        if rng.random() < 0.5:
            fam = [rng.choice(SUKU)]
        else:
            fam = distinct(rng, MINANG_M if sx == "M" else MINANG_F, 1, g)
        return Person(g, fam, sx, None, None, st)
    if st == "bali":
        order = rng.choice(BALI_ORDER)
        if sx == "M":
            title = rng.choices([["I"], ["I", "Gusti", "Ngurah"], ["Ida", "Bagus"], ["Anak", "Agung", "Gede"]],
                                [70, 12, 10, 8])[0]
            personal = distinct(rng, BALI_M, 2 if (long or rng.random() < 0.2) else 1)
        else:
            title = rng.choices([["Ni"], ["Ni", "Luh"], ["I", "Gusti", "Ayu"], ["Ida", "Ayu"], ["Anak", "Agung", "Istri"]],
                                [55, 20, 10, 8, 7])[0]
            personal = distinct(rng, BALI_F, 2 if (long or rng.random() < 0.2) else 1)
        if order in ("Gede",) and "Gede" in title:
            order = "Putu"
        g = title + [order] + personal[:-1]
        return Person(g, personal[-1:], sx, None, None, st)
    if st == "manado":
        first = MANADO_M_FIRST if sx == "M" else MANADO_F_FIRST
        g = distinct(rng, first, 1)
        if long or rng.random() < 0.35:
            g += distinct(rng, MANADO_SECOND[sx], 1, g)
        return Person(g, [rng.choice(MANADO_LAST)], sx, None, None, st)
    if st == "tionghoa":
        g = distinct(rng, TIONGHOA_M_FIRST if sx == "M" else TIONGHOA_F_FIRST, 1)
        return Person(g, distinct(rng, TIONGHOA_LAST, 1, g), sx, None, None, st)
    if st == "cn":
        fam = rng.randrange(len(CN_FAMILIES))
        ok = [i for i, s in enumerate(CN_SYLLABLES) if s[3] in ("U", sx)]
        syl = rng.sample(ok, 2)
        p = Person([], [], sx, None, None, st, order="fg", cn=(fam, syl))
        set_cn(p, CN_FAMILIES[fam][0][0], "new", False)
        return p
    if st == "malay":
        if sx == "M":
            g = distinct(rng, MALAY_M, 1)
            if rng.random() < 0.35:
                g = [rng.choice(["Muhammad", "Mohd", "Mohamad", "Mohammad"])] + g
            link = "bin"
        else:
            g = distinct(rng, MALAY_F, 1)
            if g[0] in ("Siti", "Nur", "Nurul", "Noor") or long or rng.random() < 0.3:
                g += distinct(rng, MALAY_F_SECOND, 1, g)
            link = "binti"
        father = distinct(rng, MALAY_FATHER, 1, g)
        return Person(g, [link] + father, sx, None, None, st)
    raise ValueError(st)


def cn_given(p, style, joined):
    fam, syl = p.cn
    idx = {"old": 0, "new": 1, "pinyin": 2}[style]
    parts = [CN_SYLLABLES[i][idx] for i in syl]
    if joined:
        return [parts[0] + parts[1].lower()]
    return parts


def set_cn(p, fam_form, style, joined):
    p.given = cn_given(p, style, joined)
    p.family = [fam_form]


def make_mononym(rng, sex=None, old=False):
    for _ in range(1000):
        sx = sex or rng.choice("MF")
        name = rng.choice(MONONYM_M if sx == "M" else MONONYM_F)
        if is_famous([name]):
            continue
        p = Person([], [name], sx, rand_dob(rng, 1935, 1975 if old else 1995), "IDN", "mono")
        p.mrz = rng.choice(["mono_S", "mono_G", "mono_SG"])
        return p
    raise RuntimeError


# --------------------------------------------------------------------------------------------
# MRZ rendering (ICAO 9303: upper case A-Z, apostrophe dropped, hyphen -> filler)
# --------------------------------------------------------------------------------------------

def mrz_text(s: str) -> str:
    s = strip_accents(s).upper()
    s = re.sub(r"['\u2019`.]", "", s)
    s = re.sub(r"[^A-Z]+", " ", s)
    return s.strip()


def mrz_fields(pair: Pair):
    lay = pair.layout
    if lay == "split":
        sur, giv = " ".join(pair.q_family), " ".join(pair.q_given)
    elif lay == "all_surname":
        sur, giv = " ".join(pair.q_given + pair.q_family), ""
    else:
        name = " ".join(pair.q_given + pair.q_family)
        sur, giv = {"mono_S": (name, ""), "mono_G": ("", name), "mono_SG": (name, name)}[lay]
    sur, giv = mrz_text(sur), mrz_text(giv)
    truncated = False
    if sur and giv and len(sur) + 2 + len(giv) > MRZ_NAME_LEN:
        truncated = True
        if len(sur) + 3 <= MRZ_NAME_LEN:
            giv = giv[:MRZ_NAME_LEN - len(sur) - 2].rstrip()
        else:
            sur, giv = sur[:MRZ_NAME_LEN - 3].rstrip(), giv[:1]
    elif len(sur) > MRZ_NAME_LEN or len(giv) > MRZ_NAME_LEN:
        truncated = True
        sur, giv = sur[:MRZ_NAME_LEN].rstrip(), giv[:MRZ_NAME_LEN].rstrip()
    return sur, giv, truncated


def fmt_dob(d):
    if d is None:
        return None
    y, m, dd = d
    return f"{y:04d}-{'XX' if m is None else f'{m:02d}'}-{'XX' if dd is None else f'{dd:02d}'}"


def listed_text(units) -> str:
    return re.sub(r"\s+", " ", " ".join(units)).strip()


def mkey(units) -> str:
    return " ".join(mrz_text(u) for u in units if mrz_text(u))


# --------------------------------------------------------------------------------------------
# Variations ("mutators"): each changes a pair in place and returns False if it cannot apply
# --------------------------------------------------------------------------------------------

def old_spelling(unit: str, rules) -> str:
    out, i, w = [], 0, unit
    while i < len(w):
        ch, lo = w[i], w[i].lower()
        nxt = w[i + 1].lower() if i + 1 < len(w) else ""
        prev = w[i - 1].lower() if i > 0 else ""
        rep = None
        if lo == "k" and nxt == "h" and "kh" in rules:
            rep, step = "ch", 2
        elif lo == "c" and nxt != "h" and "c" in rules:
            rep, step = "tj", 1
        elif lo == "j" and "j" in rules:
            rep, step = "dj", 1
        elif lo == "y" and "y" in rules and i + 1 < len(w):
            rep, step = "j", 1
        elif lo == "u" and prev not in ("a", "e", "o") and "u" in rules:
            rep, step = "oe", 1
        if rep is None:
            out.append(ch)
            i += 1
            continue
        out.append(rep[0].upper() + rep[1:] if ch.isupper() else rep)
        i += step
    return "".join(out)


SPELL_RULES = ["u", "j", "y", "c", "kh"]
# Western/Christian given names, Minahasan/Moluccan surnames and Chinese-Indonesian
# personal names kept their own spelling through the reforms: never respelled.
NO_RESPELL = set(MANADO_M_FIRST + MANADO_F_FIRST + MANADO_SECOND["M"] + MANADO_SECOND["F"]
                 + MANADO_LAST + TIONGHOA_M_FIRST + TIONGHOA_F_FIRST + [
                     "Martin", "Andreas", "Daniel", "Samuel", "Yosua", "Fernando", "Ricardo",
                     "Ramses", "Edward", "Jhonny", "Jonni", "Maria", "Ruth", "Debora", "Friska",
                     "Yohana", "Elisabeth", "Lenny", "Nelly", "Kevin", "Yenni", "Elvira"])
# Targets cycled through by the spelling category so that every old pattern is represented:
# (rule that must be applied, letters the modern name must contain)
SPELL_TARGETS = [("u", "u"), ("j", "j"), ("y", "y"), ("c", "c"), ("kh", "kh"), ("y", "ny"),
                 ("y", "sy"), ("u", "u"), ("j", "j"), ("c", "c")]
KH_NAMES = {"M": ["Khairul", "Ikhsan", "Fakhri", "Khoirul", "Akhyar", "Khalid", "Fakhrul", "Rakhmat"],
            "F": ["Khadijah", "Khairunnisa", "Khotimah", "Khusnul", "Akhiriyah", "Fakhira"]}
NY_NAMES = {"M": ["Sunyoto", "Nyoto", "Sanyoto"], "F": ["Nyimas", "Munyati", "Sunyati"]}


def applicable_rules(units):
    units = [u for u in units if u not in NO_RESPELL]
    return [r for r in SPELL_RULES if any(old_spelling(u, [r]) != u for u in units)]


def respell(units, rules, skip=()):
    return [u if (u in skip or u in NO_RESPELL or u.rstrip(".") in MUHAMMAD_FORMS) else
            " ".join(old_spelling(w, rules) for w in u.split(" ")) for u in units]


def mut_spelling(rng, pr: Pair, must=None):
    if pr.person.nat != "IDN" or pr.person.style in ("cn", "malay"):
        return False
    rules = applicable_rules([u for u in pr.q_units() if u not in pr.protect
                              and u.rstrip(".") not in MUHAMMAD_FORMS])
    if not rules or (must and must not in rules):
        return False
    sub = rules if rng.random() < 0.5 else rng.sample(rules, rng.randint(1, len(rules)))
    if must and must not in sub:
        sub.append(must)
    other = [] if rng.random() < 0.75 else [r for r in rules if r not in sub and rng.random() < 0.5]
    old_side = rng.choice("ql")
    q_rules, l_rules = (sub, other) if old_side == "q" else (other, sub)
    pr.q_given = respell(pr.q_given, q_rules, pr.protect)
    pr.q_family = respell(pr.q_family, q_rules, pr.protect)
    pr.l_names[0] = respell(pr.l_names[0], l_rules, pr.protect)
    if pr.q_dob and pr.q_dob[0] > 1975:   # the old spelling belongs to older people
        pr.q_dob = rand_dob(rng, 1938, 1976)
        pr.l_dob = list(pr.q_dob)
    return mkey(pr.q_units()) != mkey(pr.l_names[0])


def muhammad_form(rng, nat, listed):
    f = rng.choice(MUHAMMAD_MYS if nat in ("MYS", "BRN", "SGP") else MUHAMMAD_FORMS)
    if listed and f in MUHAMMAD_ABBREV and f not in ("Mohd", "Muhd") and rng.random() < 0.75:
        f += "."
    elif listed and f in ("Mohd", "Muhd") and rng.random() < 0.3:
        f += "."
    return f


def find_unit(units, pred):
    for i, u in enumerate(units):
        if pred(u):
            return i
    return None


def replace_in_q(pr: Pair, old, new):
    for lst in (pr.q_given, pr.q_family):
        for i, u in enumerate(lst):
            if u == old:
                lst[i] = new
                return True
    return False


def mut_muhammad(rng, pr: Pair):
    base = next((u for u in pr.q_units() if u in MUHAMMAD_FORMS), None)
    if base is None:
        return False
    li = find_unit(pr.l_names[0], lambda u: u.rstrip(".") in MUHAMMAD_FORMS)
    for _ in range(50):
        qf = muhammad_form(rng, pr.q_nat, False)
        lf = muhammad_form(rng, pr.q_nat, True)
        if mrz_text(qf) != mrz_text(lf):
            break
    replace_in_q(pr, base, qf)
    pr.l_names[0][li] = lf
    pr.protect.update((qf, lf))
    return True


def mut_reorder(rng, pr: Pair):
    p = pr.person
    if p.style == "cn":
        # listed family-first vs. query given+surname, or listed western order
        pr.l_names[0] = p.given + p.family if rng.random() < 0.35 else p.family + p.given
        if pr.l_names[0] == p.given + p.family and rng.random() < 0.5:
            pr.q_given, pr.q_family = list(p.family), list(p.given)   # issuer swapped fields
        return True
    units = pr.l_names[0]
    if len(units) < 2 or pr.layout not in ("split", "all_surname"):
        return False
    kind = rng.choice(["mrz_swapped", "listed_family_first", "all_surname_rotated"])
    if kind == "mrz_swapped" or (kind == "all_surname_rotated" and len(units) < 2):
        # the issuer put the last name in the given-name field
        pr.layout = "split"
        allu = pr.q_given + pr.q_family
        pr.q_family, pr.q_given = allu[:1], allu[1:]
    elif kind == "listed_family_first":
        pr.l_names[0] = units[-1:] + units[:-1]
    else:
        pr.layout = "all_surname"
        pr.q_given, pr.q_family = [], pr.q_family + pr.q_given
    return mkey(pr.q_given + pr.q_family) != mkey(pr.l_names[0])


SKIP_UNITS = {"I", "Ni", "Luh", "Gusti", "Ngurah", "Ida", "Bagus", "Ayu", "Anak", "Agung", "Gede",
              "Istri", "bin", "binti"}


def mut_missing_middle(rng, pr: Pair):
    units = pr.l_names[0]
    if len(units) < 3:
        return False
    cands = [i for i in range(1, len(units) - 1)
             if units[i] not in SKIP_UNITS and units[i].rstrip(".") not in MUHAMMAD_FORMS]
    if not cands:
        return False
    i = rng.choice(cands)
    u = units[i]
    if rng.random() < 0.6:  # dropped from the travel document
        for lst in (pr.q_given, pr.q_family):
            if u in lst and len(pr.q_units()) > 2:
                lst.remove(u)
                return True
        return False
    pr.l_names[0] = units[:i] + units[i + 1:]
    return True


def mut_initials(rng, pr: Pair):
    units = pr.l_names[0]
    p = pr.person
    if len(units) < 2:
        return False
    fam = set(p.family)
    cands = [i for i, u in enumerate(units) if u not in fam and u not in SKIP_UNITS
             and u.rstrip(".") not in MUHAMMAD_FORMS and " " not in u and len(u) > 2]
    if not cands:
        return False
    i = rng.choice(cands)
    u = units[i]
    if rng.random() < 0.5:
        pr.l_names[0] = units[:i] + [u[0] + "."] + units[i + 1:]
    else:
        if not replace_in_q(pr, u, u[0]):
            return False
    return True


KEYS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
KEYPOS = {c: (r, i + 0.5 * r) for r, row in enumerate(KEYS) for i, c in enumerate(row)}
NEIGHBOURS = {c: "".join(sorted(d for d, (r2, x2) in KEYPOS.items()
                                if d != c and abs(r2 - r) <= 1 and abs(x2 - x) <= 1.0))
              for c, (r, x) in KEYPOS.items()}
OCR = {"o": "dq", "d": "o", "q": "o", "i": "lj", "l": "i", "j": "i", "m": "n", "n": "mh",
       "u": "v", "v": "uy", "c": "g", "g": "c", "e": "f", "f": "e", "p": "r", "r": "p", "h": "n"}


def one_edit(rng, w: str) -> str:
    lo = w.lower()
    for _ in range(100):
        op = rng.choice(["sub", "sub", "del", "ins", "swap"])
        i = rng.randrange(len(lo))
        if op == "sub":
            pool = OCR.get(lo[i], "") if rng.random() < 0.4 else NEIGHBOURS.get(lo[i], "")
            if not pool:
                continue
            new = lo[:i] + rng.choice(pool) + lo[i + 1:]
        elif op == "del":
            new = lo[:i] + lo[i + 1:]
        elif op == "ins":
            c = lo[i] if rng.random() < 0.4 else rng.choice(NEIGHBOURS.get(lo[i], "a") or "a")
            new = lo[:i] + c + lo[i:]
        else:
            if i + 1 >= len(lo) or lo[i] == lo[i + 1]:
                continue
            new = lo[:i] + lo[i + 1] + lo[i] + lo[i + 2:]
        if new != lo and new not in ALL_PARTS and canon(new) != canon(lo):
            return new.capitalize() if w[:1].isupper() else new
    return w


def mut_typo(rng, pr: Pair, n: int):
    side = "q" if rng.random() < 0.7 else "l"
    units = pr.q_given + pr.q_family if side == "q" else pr.l_names[0]
    cands = [u for u in units if " " not in u and "-" not in u and "." not in u and "'" not in u
             and len(u) >= 5 and u not in MUHAMMAD_FORMS]
    if not cands:
        return False
    done = 0
    targets = [rng.choice(cands)] if (n == 1 or len(cands) == 1 or rng.random() < 0.5) \
        else rng.sample(cands, 2)
    edited = {}
    for k in range(n):
        t = targets[k % len(targets)]
        cur = edited.get(t, t)
        new = one_edit(rng, cur)
        if new == cur:
            return False
        if new.lower() == t.lower():
            return False
        edited[t] = new
        done += 1
    for old, new in edited.items():
        if side == "q":
            replace_in_q(pr, old, new)
        else:
            pr.l_names[0] = [new if u == old else u for u in pr.l_names[0]]
    if n == 2 and len(edited) == 1:
        (old, new), = edited.items()
        if damerau(old.lower(), new.lower()) != 2:
            return False
    return done == n


def damerau(a: str, b: str) -> int:
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def arabic_variants(gi, nat):
    g = ARABIC_GROUPS[gi]
    if nat != "IDN":
        g = [v for v in g if not re.search(r"oe|dj|tj|sj|Dj|Tj|Sj|Oe", v)]
    return g


def mut_arabic(rng, pr: Pair):
    units = pr.l_names[0]
    idx = [i for i, u in enumerate(units) if u in ARABIC_INDEX or u in ("bin", "binti")]
    if not idx:
        return False
    chosen = rng.sample(idx, 2 if (len(idx) > 1 and rng.random() < 0.3) else 1)
    for i in chosen:
        u = units[i]
        if u in ("bin", "binti"):
            forms = BIN_FORMS if u == "bin" else BINTI_FORMS
            lf = rng.choice([f for f in forms if f != u] + ([""] if rng.random() < 0.4 else []))
            pr.l_names[0][i] = lf
            continue
        vs = arabic_variants(ARABIC_INDEX[u], pr.q_nat)
        for _ in range(50):
            qv, lv = rng.choice(vs), rng.choice(vs)
            if mrz_text(qv) != mrz_text(lv):
                break
        else:
            return False
        replace_in_q(pr, u, qv)
        pr.l_names[0][i] = lv
        pr.protect.update((qv, lv))
    pr.l_names[0] = [u for u in pr.l_names[0] if u]
    return mkey(pr.q_units()) != mkey(pr.l_names[0])


def mut_chinese(rng, pr: Pair):
    p = pr.person
    if p.style != "cn":
        return False
    fam_i, _ = p.cn
    hk, py = CN_FAMILIES[fam_i]
    hk = list(dict.fromkeys(hk))

    def side(pinyin_ok):
        style = rng.choice(["old", "new", "pinyin"] if pinyin_ok else ["old", "new"])
        fam = py if style == "pinyin" else rng.choice(hk)
        joined = rng.random() < (0.7 if style == "pinyin" else 0.2)
        return fam, style, joined

    for _ in range(50):
        qf, qs, qj = side(rng.random() < 0.2)
        lf, ls, lj = side(True)
        qg, lg = cn_given(p, qs, qj), cn_given(p, ls, lj)
        if ls == "pinyin" and not lj and rng.random() < 0.3:
            lg = ["-".join(lg)]                      # "Wei-Ming"
        if mkey([qf] + qg) != mkey([lf] + lg) and mkey(qg + [qf]) != mkey(lg + [lf]):
            break
    else:
        return False
    pr.q_family, pr.q_given = [qf], qg
    order = rng.random()
    pr.l_names[0] = [lf] + lg if order < 0.7 else lg + [lf]
    return True


def mut_dob_partial(rng, pr: Pair):
    d = pr.q_dob
    if not d:
        return False
    part = [d[0], None, None] if rng.random() < 0.6 else [d[0], d[1], None]
    if rng.random() < 0.85:
        pr.l_dob = part
    else:
        pr.q_dob = part
    return True


def mut_dob_swapped(rng, pr: Pair):
    d = pr.q_dob
    for _ in range(100):
        m, dd = rng.randint(1, 12), rng.randint(1, 12)
        if m != dd:
            break
    pr.q_dob = [d[0], m, dd]
    pr.l_dob = [d[0], dd, m]
    return True


def other_name(rng, p: Person):
    """A completely different name for the same person (a false identity or a kunya)."""
    for _ in range(200):
        if p.sex == "M" and p.style in ("muslim", "malay", "jawa", "sunda", "modern", "minang") \
                and rng.random() < 0.35:
            units = rng.choice(KUNYA).split(" ")
            units = [" ".join(units)]
            if rng.random() < 0.4:
                units += [rng.choice(["Al-Indunisi", "Al-Jawi", "Al-Bantani", "Al-Makassari"])]
        elif p.style == "cn" and rng.random() < 0.7:
            q = make_person(rng, "tionghoa", p.sex)
            units = q.units()
        else:
            st = p.style if p.style not in ("cn", "mono") else "jawa"
            q = make_person(rng, st, p.sex)
            units = q.units()
        ignore = {canon(x) for x in PARTICLES | SKIP_UNITS | set(BALI_ORDER)}
        mine = {canon(w) for w in words(p.units())} - ignore
        if not mine & ({canon(w) for w in words(units)} - ignore) and not is_famous(units):
            return units
    raise RuntimeError


def mut_alias(rng, pr: Pair):
    true = pr.l_names[0]
    names = [other_name(rng, pr.person)]
    extra = [true]
    if rng.random() < 0.35:
        extra.append(other_name(rng, pr.person))
    rng.shuffle(extra)
    pr.l_names = names + extra
    return True


def mut_single(rng, pr: Pair):
    return pr.person.mononym()


MUTATORS = {
    "spelling_1947_1972": mut_spelling,
    "muhammad": mut_muhammad,
    "reordered": mut_reorder,
    "missing_middle": mut_missing_middle,
    "initials": mut_initials,
    "typo_1": lambda rng, pr: mut_typo(rng, pr, 1),
    "typo_2": lambda rng, pr: mut_typo(rng, pr, 2),
    "arabic_translit": mut_arabic,
    "chinese_translit": mut_chinese,
    "dob_partial": mut_dob_partial,
    "dob_swapped": mut_dob_swapped,
    "alias": mut_alias,
    "single_name": mut_single,
}

# --------------------------------------------------------------------------------------------
# Base people for each "same" category
# --------------------------------------------------------------------------------------------


def person_for(rng, cat):
    if cat == "spelling_1947_1972":
        for _ in range(100):
            p = make_person(rng, rng.choice(["jawa", "jawa", "sunda", "modern", "muslim", "batak",
                                             "minang", "bali"]), old=True, nat="IDN")
            if applicable_rules(p.units()):
                return p
    if cat == "muhammad":
        for _ in range(100):
            st = rng.choices(["jawa", "modern", "muslim", "sunda", "minang", "malay"],
                             [18, 25, 30, 10, 7, 10])[0]
            p = make_person(rng, st, "M")
            if not any(u in MUHAMMAD_FORMS for u in p.given):
                p.given = ["Muhammad"] + p.given
            if len(p.given) > 3:
                continue
            if not is_famous(p.units()):
                return p
    if cat == "single_name":
        return make_mononym(rng)
    if cat == "reordered":
        return make_person(rng, rng.choice(["jawa", "sunda", "modern", "muslim", "batak", "manado",
                                            "tionghoa", "cn", "cn"]))
    if cat in ("missing_middle",):
        for _ in range(100):
            st = rng.choice(["jawa", "modern", "muslim", "batak", "manado", "bali", "malay"])
            p = make_person(rng, st, long=True)
            if len(p.units()) >= 3:
                return p
    if cat == "initials":
        for _ in range(100):
            p = make_person(rng, long=rng.random() < 0.6)
            if p.style != "cn" and len(p.units()) >= 2:
                return p
    if cat in ("typo_1", "typo_2"):
        for _ in range(100):
            p = make_person(rng)
            if any(len(u) >= 5 and " " not in u for u in p.units()):
                return p
    if cat == "arabic_translit":
        return arabic_person(rng)
    if cat == "chinese_translit":
        return make_person(rng, "cn")
    if cat in ("dob_partial", "dob_swapped", "alias"):
        return make_person(rng)
    raise ValueError(cat)


def arabic_person(rng):
    for _ in range(200):
        st = rng.choices(["muslim", "malay", "hadhrami"], [55, 25, 20])[0]
        sx = rng.choice("MF")
        if st == "hadhrami":
            p = make_person(rng, "muslim", sx)
            p.family = [rng.choice(HADHRAMI_CLAN)]
            p.style = "hadhrami"
        else:
            p = make_person(rng, st, sx)
        if any(u in ARABIC_INDEX for u in p.units()) or st == "malay":
            if not is_famous(p.units()):
                return p
    raise RuntimeError


COMBOS = [
    ("spelling_1947_1972", "muhammad"), ("spelling_1947_1972", "missing_middle"),
    ("spelling_1947_1972", "typo_1"), ("spelling_1947_1972", "dob_partial"),
    ("spelling_1947_1972", "single_name"), ("muhammad", "initials"),
    ("muhammad", "missing_middle"), ("muhammad", "dob_swapped"), ("arabic_translit", "spelling_1947_1972"),
    ("arabic_translit", "dob_partial"), ("chinese_translit", "typo_1"),
    ("chinese_translit", "dob_partial"), ("reordered", "typo_1"), ("reordered", "spelling_1947_1972"),
    ("alias", "spelling_1947_1972"), ("alias", "typo_1"), ("initials", "dob_partial"),
    ("single_name", "typo_1"), ("single_name", "dob_partial"), ("muhammad", "typo_1"),
]


def person_for_combo(rng, a, b):
    if "single_name" in (a, b):
        return make_mononym(rng, old="spelling_1947_1972" in (a, b))
    if "chinese_translit" in (a, b):
        return make_person(rng, "cn")
    if "muhammad" in (a, b):
        for _ in range(100):
            p = person_for(rng, "muhammad")
            if "spelling_1947_1972" in (a, b):
                if p.nat != "IDN" or p.style == "malay":
                    continue
                p.dob = rand_dob(rng, 1938, 1975)
                if not applicable_rules([u for u in p.units() if u not in MUHAMMAD_FORMS]):
                    continue
            if "missing_middle" in (a, b) and len(p.units()) < 3:
                continue
            return p
    if "arabic_translit" in (a, b):
        for _ in range(100):
            p = arabic_person(rng)
            if "spelling_1947_1972" in (a, b):
                if p.nat != "IDN":
                    continue
                rest = [u for u in p.units() if u not in ARABIC_INDEX]
                if not applicable_rules(rest):
                    continue
                p.dob = rand_dob(rng, 1938, 1975)
            return p
    if "spelling_1947_1972" in (a, b):
        for _ in range(100):
            p = person_for(rng, "spelling_1947_1972")
            if "missing_middle" in (a, b) and len(p.units()) < 3:
                p = make_person(rng, rng.choice(["jawa", "modern", "muslim", "manado", "bali"]),
                                long=True, old=True, nat="IDN")
                if len(p.units()) < 3 or not applicable_rules(p.units()):
                    continue
            if "reordered" in (a, b) and p.style in ("cn",):
                continue
            return p
    other = b if a in ("reordered", "alias", "initials") else a
    return person_for(rng, other if other in MUTATORS else a)


# Order in which two variations are applied together: whole-unit substitutions first (their
# forms are then protected from respelling), then structure, spelling, edits, order, dates,
# and last the alias (which moves the true name behind an unrelated primary name).
COMBO_PRIORITY = {"muhammad": 0, "arabic_translit": 0, "chinese_translit": 0, "single_name": 0,
                  "missing_middle": 1, "initials": 1, "spelling_1947_1972": 2, "typo_1": 3,
                  "typo_2": 3, "reordered": 4, "dob_partial": 5, "dob_swapped": 5, "alias": 6}


def apply_mut(rng, pr, cat):
    return MUTATORS[cat](rng, pr)


def combo_order(a, b):
    return sorted((a, b), key=lambda c: COMBO_PRIORITY[c])


# --------------------------------------------------------------------------------------------
# Finishing a pair: missing fields and the JSON line
# --------------------------------------------------------------------------------------------

def blur_fields(rng, pr: Pair, keep_dob=False, keep_sex=False, keep_nat=False):
    if not keep_dob and pr.l_dob and rng.random() < 0.05:
        pr.l_dob = None
    if not keep_sex and rng.random() < 0.08:
        pr.l_sex = None
    if not keep_sex and rng.random() < 0.02:
        pr.q_sex = None
    if not keep_nat and rng.random() < 0.10:
        pr.l_nat = None
    if not keep_nat and rng.random() < 0.01:
        pr.q_nat = None


def to_json(pr: Pair, label, variation, combines=None):
    sur, giv, trunc = mrz_fields(pr)
    rec = {"id": None, "label": label, "variation": variation}
    if combines:
        rec["combines"] = list(combines)
    rec["query"] = {"surname": sur, "given_names": giv, "date_of_birth": fmt_dob(pr.q_dob),
                    "sex": pr.q_sex, "nationality": pr.q_nat}
    rec["listed"] = {"names": [listed_text(n) for n in pr.l_names], "date_of_birth": fmt_dob(pr.l_dob),
                     "sex": pr.l_sex, "nationality": pr.l_nat}
    return rec, trunc


def query_key(rec):
    q = rec["query"]
    return " ".join(x for x in (q["given_names"], q["surname"]) if x)


def all_names_famous(rec):
    q = rec["query"]
    return (is_famous([q["given_names"], q["surname"]]) or is_famous([q["surname"], q["given_names"]])
            or any(is_famous([n]) for n in rec["listed"]["names"]))


def name_differs(rec):
    """The query name, in either field order, is not written the same as any listed name."""
    q = rec["query"]
    forms = {mrz_text(q["given_names"] + " " + q["surname"]), mrz_text(q["surname"] + " " + q["given_names"])}
    return not any(mrz_text(n) in forms for n in rec["listed"]["names"])


# --------------------------------------------------------------------------------------------
# Generators per category
# --------------------------------------------------------------------------------------------

SAME_COUNTS = collections.OrderedDict([
    ("spelling_1947_1972", 80), ("muhammad", 80), ("single_name", 75), ("reordered", 60),
    ("missing_middle", 60), ("initials", 60), ("typo_1", 60), ("typo_2", 60),
    ("arabic_translit", 70), ("chinese_translit", 70), ("dob_partial", 60), ("dob_swapped", 50),
    ("alias", 60), ("combined", 60),
])
DIFF_COUNTS = collections.OrderedDict([
    ("same_name_other_dob", 100), ("shared_family_name", 90), ("shared_given_name", 90),
    ("similar_spelling_different_name", 100), ("other_sex", 75), ("muhammad_only_shared", 85),
    ("other_nationality_and_dob", 60),
])
NAME_VARIATIONS = {"spelling_1947_1972", "muhammad", "missing_middle", "initials", "typo_1",
                   "typo_2", "arabic_translit", "chinese_translit", "reordered"}


def gen_same(rng, cat, k):
    if cat == "combined":
        a, b = COMBOS[k % len(COMBOS)]
        p = person_for_combo(rng, a, b)
        pr = Pair(p)
        for c in combo_order(a, b):
            if not apply_mut(rng, pr, c):
                return None
        if "single_name" in (a, b) and pr.layout not in ("mono_S", "mono_G", "mono_SG"):
            return None
        blur_fields(rng, pr, keep_dob=bool({"dob_partial", "dob_swapped"} & {a, b}))
        rec, trunc = to_json(pr, "same", "combined", sorted([a, b]))
        if ({a, b} - {"reordered", "alias"}) & NAME_VARIATIONS and not name_differs(rec):
            return None
        return rec, trunc
    if cat == "single_name":
        p = make_mononym(rng)
        p.mrz = ["mono_S", "mono_G", "mono_SG"][k % 3]
        pr = Pair(p)
    elif cat == "spelling_1947_1972":
        rule, letters = SPELL_TARGETS[k % len(SPELL_TARGETS)]
        p = person_for(rng, cat)
        if letters in ("kh", "ny") and rng.random() < 0.8:
            extra = (KH_NAMES if letters == "kh" else NY_NAMES)[p.sex]
            if p.style == "bali":
                if letters == "kh":
                    return None
                p.given = [("Nyoman" if u in BALI_ORDER else u) for u in p.given]
            else:
                p.given = [rng.choice(extra)] + p.given[1:]
            if is_famous(p.units()):
                return None
        if not any(letters in u.lower() for u in p.units()):
            return None
        pr = Pair(p)
        if not mut_spelling(rng, pr, rule):
            return None
    else:
        pr = Pair(person_for(rng, cat))
        if not MUTATORS[cat](rng, pr):
            return None
    blur_fields(rng, pr, keep_dob=cat in ("dob_partial", "dob_swapped"))
    if cat not in ("alias", "chinese_translit") and pr.person.style not in ("cn",) and rng.random() < 0.08:
        # an unrelated extra alias (kunya) on some listed Muslim men
        if pr.l_sex == "M" and pr.person.style in ("muslim", "malay", "hadhrami"):
            pr.l_names.append([rng.choice(KUNYA)])
    rec, trunc = to_json(pr, "same", cat)
    if cat in NAME_VARIATIONS and cat != "reordered" and not name_differs(rec):
        return None
    if cat == "reordered":
        q = rec["query"]
        natural = mrz_text(q["given_names"] + " " + q["surname"])
        if any(mrz_text(n) == natural for n in rec["listed"]["names"]):
            return None
    return rec, trunc


def diff_pair(rng, a: Person, b: Person, swap=None):
    """Query from a, listed from b (or the other way round)."""
    if swap is None:
        swap = rng.random() < 0.5
    q, l = (b, a) if swap else (a, b)
    pr = Pair(q)
    pr.l_names = [l.units()]
    pr.l_dob = list(l.dob) if l.dob else None
    pr.l_sex, pr.l_nat = l.sex, l.nat
    return pr


def clone(p: Person) -> Person:
    c = Person(p.given, p.family, p.sex, list(p.dob), p.nat, p.style, p.order, p.mrz, p.cn)
    return c


def gen_diff(rng, cat, k):
    if cat == "same_name_other_dob":
        if rng.random() < 0.4:
            a = make_person(rng, rng.choice(["modern", "muslim", "jawa", "sunda"]), "M")
            a.given = ["Muhammad"]
            if is_famous(a.units()):
                return None
        else:
            a = make_person(rng, rng.choice(["jawa", "jawa", "sunda", "modern", "muslim", "batak", "malay", "cn", "tionghoa"]))
            if len(a.given) > 1 and a.style not in ("cn", "malay"):
                a.given = a.given[:1]
        b = clone(a)
        b.dob = other_dob(rng, a.dob)
        pr = diff_pair(rng, a, b)
        if rng.random() < 0.2:
            pr.l_dob = [pr.l_dob[0], None, None]
        blur_fields(rng, pr, keep_dob=True, keep_sex=True)
    elif cat == "shared_family_name":
        # peoples whose family names are inherited (a Javanese last name is not)
        st = rng.choice(["batak", "batak", "cn", "cn", "manado", "tionghoa", "malay", "hadhrami", "minang"])
        if st == "hadhrami":
            a = make_person(rng, "muslim")
            a.family, a.style = [rng.choice(HADHRAMI_CLAN)], "hadhrami"
            if is_famous(a.units()):
                return None
        elif st == "minang":
            a = make_person(rng, st)
            if a.family[0] not in SUKU:
                return None
        else:
            a = make_person(rng, st)
        b = clone(a)
        b.sex = rng.choice("MF")
        if st == "cn":
            fam, syl = a.cn
            ok = [i for i, s in enumerate(CN_SYLLABLES) if s[3] in ("U", b.sex) and i not in syl]
            nsyl = [syl[0], rng.choice(ok)] if rng.random() < 0.5 else rng.sample(ok, 2)
            b.cn = (fam, nsyl)
            set_cn(b, a.family[0], "new", False)
        elif st == "malay":
            link = "bin" if b.sex == "M" else "binti"
            b.given = distinct(rng, MALAY_M if b.sex == "M" else MALAY_F, 1, a.given)
            b.family = [link] + a.family[1:]
        else:
            nb = make_person(rng, "muslim" if st == "hadhrami" else st, b.sex)
            b.given = [g for g in nb.given if canon(g) not in {canon(x) for x in a.given}] or None
            if not b.given:
                return None
        gap = rng.randint(1, 12) if rng.random() < 0.75 else rng.randint(20, 35)
        y = a.dob[0] + gap * rng.choice([-1, 1])
        if y > 2008 or y < 1935:
            y = a.dob[0] - gap if y > 2008 else a.dob[0] + gap
        b.dob = rand_dob(rng, y, y)
        if is_famous(b.units()) or damerau(canon("".join(a.given)), canon("".join(b.given))) <= 2:
            return None
        pr = diff_pair(rng, a, b)
        blur_fields(rng, pr, keep_dob=True)
    elif cat == "shared_given_name":
        st = rng.choice(["batak", "jawa", "sunda", "modern", "muslim", "manado", "tionghoa", "minang", "cn", "malay"])
        a = make_person(rng, st)
        b = clone(a)
        for _ in range(50):
            nb = make_person(rng, st, a.sex)
            if st == "cn":
                fam = rng.randrange(len(CN_FAMILIES))
                if fam == a.cn[0]:
                    continue
                b.cn = (fam, a.cn[1])
                b.family = [CN_FAMILIES[fam][0][0]]
            elif st == "malay":
                b.family = nb.family[:1] + [f for f in nb.family[1:]]
            else:
                b.family = nb.family
            if canon(" ".join(b.family)) != canon(" ".join(a.family)) and \
                    damerau(canon(" ".join(b.family)), canon(" ".join(a.family))) > 2:
                break
        else:
            return None
        b.dob = other_dob(rng, a.dob, 2, 30)
        if is_famous(b.units()):
            return None
        pr = diff_pair(rng, a, b)
        blur_fields(rng, pr, keep_dob=True)
    elif cat == "similar_spelling_different_name":
        na, sa, nb, sb, slot = LOOKALIKES[k % len(LOOKALIKES)]
        assert damerau(na.lower(), nb.lower()) <= 2 and canon(na) != canon(nb), (na, nb)
        sa = sa if sa != "U" else rng.choice("MF")
        sb = sb if sb != "U" else sa
        if slot == "first":
            fam_pool = rng.choice([MARGA, MANADO_LAST, TIONGHOA_LAST, None])
            if fam_pool is None:
                fam = [rng.choice(JAVA_M_LAST if sa == "M" else JAVA_F_LAST)]
                if sa != sb:
                    fam = [rng.choice(MARGA)]
            else:
                fam = [rng.choice(fam_pool)]
            a = Person([na], fam, sa, rand_dob(rng), "IDN", "jawa")
            b = Person([nb], fam, sb, None, "IDN", "jawa")
        elif slot == "last":
            first = rng.choice(UNISEX_GIVEN) if sa != sb else rng.choice(JAVA_M_FIRST if sa == "M" else JAVA_F_FIRST)
            a = Person([first], [na], sa, rand_dob(rng), "IDN", "jawa")
            b = Person([first], [nb], sb, None, "IDN", "jawa")
        else:
            ok = [i for i, s in enumerate(CN_SYLLABLES) if s[3] in ("U", sa)]
            syl = rng.sample(ok, 2)
            a = Person([], [], sa, rand_dob(rng), rng.choice(["IDN", "IDN", "SGP", "MYS"]), "cn", "fg", cn=(0, syl))
            a.given, a.family = cn_given(a, "new", False), [na]
            b = Person(list(a.given), [nb], sb, None, a.nat, "cn", "fg", cn=(0, syl))
        if sa != sb and rng.random() < 0.5:
            b.dob = list(a.dob)
        else:
            b.dob = other_dob(rng, a.dob, 2, 25)
        if is_famous(a.units()) or is_famous(b.units()):
            return None
        pr = diff_pair(rng, a, b)
        blur_fields(rng, pr, keep_dob=True, keep_sex=True)
    elif cat == "other_sex":
        sx = rng.choice("MF")
        for _ in range(50):
            if rng.random() < 0.25:
                syl = rng.sample([i for i, s in enumerate(CN_SYLLABLES) if s[3] == "U"], 2)
                fam = rng.randrange(len(CN_FAMILIES))
                a = Person([], [], sx, rand_dob(rng), rng.choice(["IDN", "IDN", "SGP"]), "cn", "fg", cn=(fam, syl))
                set_cn(a, CN_FAMILIES[fam][0][0], "new", False)
            else:
                g = distinct(rng, UNISEX_GIVEN, 2 if rng.random() < 0.3 else 1)
                a = Person(g, [rng.choice(UNISEX_FAMILY)], sx, rand_dob(rng), "IDN", "batak")
            if not is_famous(a.units()):
                break
        b = clone(a)
        b.sex = "F" if sx == "M" else "M"
        b.dob = other_dob(rng, a.dob, 2, 30)
        pr = diff_pair(rng, a, b)
        blur_fields(rng, pr, keep_dob=True, keep_sex=True)
    elif cat == "muhammad_only_shared":
        st = rng.choice(["modern", "muslim", "muslim", "jawa", "sunda", "minang", "malay"])
        a = make_person(rng, st, "M")
        a.given = [g for g in a.given if g not in MUHAMMAD_FORMS]
        b = make_person(rng, st, "M", nat=a.nat)
        b.given = [g for g in b.given if g not in MUHAMMAD_FORMS]
        ca = {canon(w) for w in words(a.given + a.family) if w not in ("bin", "binti")}
        cb = {canon(w) for w in words(b.given + b.family) if w not in ("bin", "binti")}
        if ca & cb or not a.given and not a.family:
            return None
        fa = muhammad_form(rng, a.nat, False)
        fb = fa if rng.random() < 0.5 else muhammad_form(rng, a.nat, False)
        a.given = [fa] + a.given
        b.given = [fb] + b.given
        if is_famous(a.units()) or is_famous(b.units()):
            return None
        b.dob = other_dob(rng, a.dob, 1, 25) if rng.random() < 0.8 else list(a.dob)
        pr = diff_pair(rng, a, b, swap=False)
        pr.l_names[0] = [fb + "." if fb in MUHAMMAD_ABBREV and fb not in ("Mohd", "Muhd") and rng.random() < 0.6 else fb] \
            + pr.l_names[0][1:]
        blur_fields(rng, pr, keep_dob=True)
    elif cat == "other_nationality_and_dob":
        st = rng.choice(["jawa", "modern", "muslim", "malay", "cn", "tionghoa", "manado", "batak", "sunda"])
        a = make_person(rng, st)
        b = clone(a)
        pool = NAT_OTHER.get(st, NAT_OTHER["default"])
        b.nat = rng.choice([n for n in pool if n != a.nat])
        b.dob = other_dob(rng, a.dob, 2, 30)
        pr = diff_pair(rng, a, b)
        blur_fields(rng, pr, keep_dob=True, keep_nat=True)
    else:
        raise ValueError(cat)
    rec, trunc = to_json(pr, "different", cat)
    return rec, trunc


def generate():
    rng = random.Random(SEED)
    records, seen = [], set()
    stats = collections.Counter()
    for label, counts, gen in (("same", SAME_COUNTS, gen_same), ("different", DIFF_COUNTS, gen_diff)):
        for cat, n in counts.items():
            made, k, tries = 0, 0, 0
            while made < n:
                tries += 1
                if tries > n * 200:
                    raise RuntimeError(f"could not make {cat}")
                out = gen(rng, cat, k)
                if out is None:
                    continue
                rec, trunc = out
                key = json.dumps([rec["query"], rec["listed"]], sort_keys=True)
                if key in seen or all_names_famous(rec):
                    continue
                if not rec["query"]["surname"] and not rec["query"]["given_names"]:
                    continue
                seen.add(key)
                records.append(rec)
                stats["truncated"] += trunc
                if rec["variation"] == "single_name":
                    q = rec["query"]
                    stats["mono_" + ("both" if q["surname"] and q["given_names"] else
                                     "surname" if q["surname"] else "given")] += 1
                made += 1
                k += 1
    rng.shuffle(records)
    for i, rec in enumerate(records, 1):
        rec["id"] = f"p{i:04d}"
    records.sort(key=lambda r: r["id"])
    return records, stats


README = """# Name-screening evaluation set (invented people)

`pairs.jsonl` is an evaluation set for Gapura's watchlist name matcher: {total} labelled pairs,
each a traveller as read from a travel document's machine-readable zone (`query`) and a
watchlist entry (`listed`), with the answer a careful screener would give: `same` (the same
person) or `different` (a look-alike who is someone else).

**Every person in this file is invented.** Names are assembled at random from lists of common
Indonesian, Malay, Arabic-derived, Javanese, Sundanese, Balinese, Batak, Minangkabau, Manado/
Maluku and Chinese-Indonesian given and family names; the generator skips any combination
that contains the name of a well-known person (a list of presidents, ministers, heroes,
celebrities, athletes, tycoons and convicted or wanted people, compared after folding old and
new spellings). Dates of birth are random. Any resemblance to a real person is coincidence.

It was written independently of the matcher's code, to measure it, not to be tuned against
case by case.

## Regenerating

```
python3 scripts/eval-names/generate.py
```

Python 3.11, standard library only, fixed seed ({seed}): it rewrites this file and
`pairs.jsonl` byte for byte.

## Format

One JSON object per line:

```
{{"id":"p0001","label":"same"|"different","variation":"<category>",
 "query":{{"surname":"...","given_names":"...","date_of_birth":"1981-04-17","sex":"M","nationality":"IDN"}},
 "listed":{{"names":["Primary Full Name","Alias One"],"date_of_birth":"1981-04-17","sex":"M","nationality":"IDN"}}}}
```

- `query`: surname (primary identifier) and given names (secondary identifier) as in an ICAO
  9303 MRZ: upper case A-Z and spaces only (diacritics removed, apostrophes and full stops
  dropped, hyphens become spaces), truncated to fit the 39-character TD3 name field
  ({truncated} queries are truncated). A person with a single name appears as surname only,
  given names only, or the name in both fields.
- `listed`: names in natural order and mixed case, the primary name first, then aliases; old
  spellings and punctuation as lists hold them ("Moh.", "Abd. Rahman", "Al-Habsyi", "bt.").
- `date_of_birth`: `YYYY-MM-DD`, `XX` for an unknown part (`1975-XX-XX`, `1975-03-XX`).
  `date_of_birth`, `sex` (`M`/`F`) and `nationality` (ISO 3166 alpha-3) may be `null` on
  either side.
- `combined` lines also carry `"combines": [two categories]`, naming the two variations
  applied together.
- Ids are assigned after a seeded shuffle, so categories are interleaved.

## Categories

| label | variation | pairs | what varies |
|---|---|---:|---|
{rows}
| | **total** | **{total}** | same {same}, different {different} |

The single-name pairs use the three MRZ layouts equally: surname only {mono_surname}, given
names only {mono_given}, both fields {mono_both}.

"Same" pairs keep the date of birth equal on both sides (except where a date variation is
applied), with an occasional unknown sex, nationality or date on one side; old spellings are
given to people born before 1976. "Different" pairs keep what tells the two people apart
known on both sides: the date of birth (all categories; {diff_same_dob} pairs share it: in
`muhammad_only_shared` the rest of the name differs, in `similar_spelling_different_name`
the sex differs), and the sex or nationality in `other_sex` and `other_nationality_and_dob`.
"""

DESCRIPTIONS = {
    "spelling_1947_1972": "pre-1972 spelling on one side (oe/u, dj/j, tj/c, j/y, ch/kh, nj/ny, sj/sy), whole or partial",
    "muhammad": "a different spelling or abbreviation of Muhammad on each side (24 forms)",
    "single_name": "one-name person; MRZ surname only, given names only, or both",
    "reordered": "given and family parts swapped (MRZ fields, list order, Chinese family-first)",
    "missing_middle": "a middle name dropped on one side",
    "initials": "a given or middle name reduced to its initial on one side",
    "typo_1": "one keyboard/OCR-like edit in a name of 5+ letters",
    "typo_2": "two such edits",
    "arabic_translit": "Arabic-derived name written another way (Abdul Rahman/Abdurrahman/Abd. Rahman, bin/b., Al-/El-, ...)",
    "chinese_translit": "Chinese-Indonesian family-name and given-name romanizations, joined/split, order",
    "dob_partial": "one side's date of birth only partly known",
    "dob_swapped": "day and month swapped (both 12 or less)",
    "alias": "the query matches a listed alias; the primary name is unrelated",
    "combined": "two of the above at once",
    "same_name_other_dob": "identical common name, date of birth years apart",
    "shared_family_name": "relatives: same family name, other given names and date of birth",
    "shared_given_name": "same given names, other family name and date of birth",
    "similar_spelling_different_name": "a different name one or two letters away, with another date of birth or sex",
    "other_sex": "same name, other sex and date of birth",
    "muhammad_only_shared": "both start with a Muhammad form, the rest differs",
    "other_nationality_and_dob": "same name, other nationality and date of birth",
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[2]
    ap.add_argument("--out-dir", type=Path, default=root / "crates/gapura-screening/testdata/eval")
    args = ap.parse_args(argv)
    records, stats = generate()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    with open(args.out_dir / "pairs.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    counts = collections.Counter((r["label"], r["variation"]) for r in records)
    rows = []
    for label, cats in (("same", SAME_COUNTS), ("different", DIFF_COUNTS)):
        for cat in cats:
            rows.append(f"| {label} | `{cat}` | {counts[(label, cat)]} | {DESCRIPTIONS[cat]} |")
    same = sum(v for (lab, _), v in counts.items() if lab == "same")
    text = README.format(total=len(records), seed=SEED, truncated=stats["truncated"],
                         rows="\n".join(rows), same=same, different=len(records) - same,
                         mono_surname=stats["mono_surname"], mono_given=stats["mono_given"],
                         mono_both=stats["mono_both"],
                         diff_same_dob=sum(1 for r in records if r["label"] == "different"
                                           and r["query"]["date_of_birth"] == r["listed"]["date_of_birth"]))
    (args.out_dir / "README.md").write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(records)} pairs ({same} same, {len(records) - same} different) to "
          f"{args.out_dir / 'pairs.jsonl'}", file=sys.stderr)


if __name__ == "__main__":
    main()
