"""Professional registration: titles and their competences (seeded from cpd.registration.frameworks),
applications with statements, evidence, assessors and history; objectives tagged with competences

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 20:03:31.011393

"""
from alembic import op
import sqlalchemy as sa

import cpd.core.models


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


# Written out here, as they were when this revision was made: a revision never imports the app's code.
TITLE_ROWS = [{'title': 'RSciTech', 'register': 'science_council', 'level': 1, 'name': 'Registered Science Technician'},
 {'title': 'RSci', 'register': 'science_council', 'level': 2, 'name': 'Registered Scientist'},
 {'title': 'CSci', 'register': 'science_council', 'level': 3, 'name': 'Chartered Scientist'},
 {'title': 'EngTech', 'register': 'engineering_council', 'level': 1, 'name': 'Engineering Technician'},
 {'title': 'IEng', 'register': 'engineering_council', 'level': 2, 'name': 'Incorporated Engineer'},
 {'title': 'CEng', 'register': 'engineering_council', 'level': 3, 'name': 'Chartered Engineer'},
 {'title': 'ICTTech', 'register': 'engineering_council_ict', 'level': 1, 'name': 'ICT Technician'}]
COMPETENCE_ROWS = [{'title': 'RSciTech',
  'code': 'SC-A1',
  'area': 'Application of knowledge and understanding',
  'statement': 'Apply scientific knowledge and understanding in your work, following established practice, '
               'with guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-A2',
  'area': 'Application of knowledge and understanding',
  'statement': 'Analyse and interpret data and evidence soundly, following established practice, with '
               'guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-A3',
  'area': 'Application of knowledge and understanding',
  'statement': 'Find and use new knowledge and methods, following established practice, with guidance where '
               'needed.'},
 {'title': 'RSciTech',
  'code': 'SC-B1',
  'area': 'Personal responsibility',
  'statement': 'Take responsibility for the quality and outcomes of your work, following established '
               'practice, with guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-B2',
  'area': 'Personal responsibility',
  'statement': 'Work safely and manage risk, following established practice, with guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-B3',
  'area': 'Personal responsibility',
  'statement': 'Plan and organise your work and use resources well, following established practice, with '
               'guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-C1',
  'area': 'Interpersonal skills',
  'statement': 'Communicate scientific information clearly to different audiences, following established '
               'practice, with guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-C2',
  'area': 'Interpersonal skills',
  'statement': 'Work with others and contribute to teams, following established practice, with guidance '
               'where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-C3',
  'area': 'Interpersonal skills',
  'statement': 'Support, guide or develop others, following established practice, with guidance where '
               'needed.'},
 {'title': 'RSciTech',
  'code': 'SC-D1',
  'area': 'Professional practice',
  'statement': 'Use the right methods, tools and techniques with skill, following established practice, with '
               'guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-D2',
  'area': 'Professional practice',
  'statement': 'Review your work and improve how things are done, following established practice, with '
               'guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-D3',
  'area': 'Professional practice',
  'statement': 'Contribute to the wider work of your organisation or field, following established practice, '
               'with guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-E1',
  'area': 'Professional standards',
  'statement': 'Follow the law, codes of conduct and ethical principles, following established practice, '
               'with guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-E2',
  'area': 'Professional standards',
  'statement': 'Keep your competence up to date through CPD and reflection, following established practice, '
               'with guidance where needed.'},
 {'title': 'RSciTech',
  'code': 'SC-E3',
  'area': 'Professional standards',
  'statement': 'Uphold the reputation and standards of your profession, following established practice, with '
               'guidance where needed.'},
 {'title': 'RSci',
  'code': 'SC-A1',
  'area': 'Application of knowledge and understanding',
  'statement': 'Apply scientific knowledge and understanding in your work, independently, choosing and '
               'adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-A2',
  'area': 'Application of knowledge and understanding',
  'statement': 'Analyse and interpret data and evidence soundly, independently, choosing and adapting the '
               'methods.'},
 {'title': 'RSci',
  'code': 'SC-A3',
  'area': 'Application of knowledge and understanding',
  'statement': 'Find and use new knowledge and methods, independently, choosing and adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-B1',
  'area': 'Personal responsibility',
  'statement': 'Take responsibility for the quality and outcomes of your work, independently, choosing and '
               'adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-B2',
  'area': 'Personal responsibility',
  'statement': 'Work safely and manage risk, independently, choosing and adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-B3',
  'area': 'Personal responsibility',
  'statement': 'Plan and organise your work and use resources well, independently, choosing and adapting the '
               'methods.'},
 {'title': 'RSci',
  'code': 'SC-C1',
  'area': 'Interpersonal skills',
  'statement': 'Communicate scientific information clearly to different audiences, independently, choosing '
               'and adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-C2',
  'area': 'Interpersonal skills',
  'statement': 'Work with others and contribute to teams, independently, choosing and adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-C3',
  'area': 'Interpersonal skills',
  'statement': 'Support, guide or develop others, independently, choosing and adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-D1',
  'area': 'Professional practice',
  'statement': 'Use the right methods, tools and techniques with skill, independently, choosing and adapting '
               'the methods.'},
 {'title': 'RSci',
  'code': 'SC-D2',
  'area': 'Professional practice',
  'statement': 'Review your work and improve how things are done, independently, choosing and adapting the '
               'methods.'},
 {'title': 'RSci',
  'code': 'SC-D3',
  'area': 'Professional practice',
  'statement': 'Contribute to the wider work of your organisation or field, independently, choosing and '
               'adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-E1',
  'area': 'Professional standards',
  'statement': 'Follow the law, codes of conduct and ethical principles, independently, choosing and '
               'adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-E2',
  'area': 'Professional standards',
  'statement': 'Keep your competence up to date through CPD and reflection, independently, choosing and '
               'adapting the methods.'},
 {'title': 'RSci',
  'code': 'SC-E3',
  'area': 'Professional standards',
  'statement': 'Uphold the reputation and standards of your profession, independently, choosing and adapting '
               'the methods.'},
 {'title': 'CSci',
  'code': 'SC-A1',
  'area': 'Application of knowledge and understanding',
  'statement': 'Apply scientific knowledge and understanding in your work, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-A2',
  'area': 'Application of knowledge and understanding',
  'statement': 'Analyse and interpret data and evidence soundly, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CSci',
  'code': 'SC-A3',
  'area': 'Application of knowledge and understanding',
  'statement': 'Find and use new knowledge and methods, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CSci',
  'code': 'SC-B1',
  'area': 'Personal responsibility',
  'statement': 'Take responsibility for the quality and outcomes of your work, leading others, in complex '
               'and unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-B2',
  'area': 'Personal responsibility',
  'statement': 'Work safely and manage risk, leading others, in complex and unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-B3',
  'area': 'Personal responsibility',
  'statement': 'Plan and organise your work and use resources well, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-C1',
  'area': 'Interpersonal skills',
  'statement': 'Communicate scientific information clearly to different audiences, leading others, in '
               'complex and unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-C2',
  'area': 'Interpersonal skills',
  'statement': 'Work with others and contribute to teams, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CSci',
  'code': 'SC-C3',
  'area': 'Interpersonal skills',
  'statement': 'Support, guide or develop others, leading others, in complex and unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-D1',
  'area': 'Professional practice',
  'statement': 'Use the right methods, tools and techniques with skill, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-D2',
  'area': 'Professional practice',
  'statement': 'Review your work and improve how things are done, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CSci',
  'code': 'SC-D3',
  'area': 'Professional practice',
  'statement': 'Contribute to the wider work of your organisation or field, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-E1',
  'area': 'Professional standards',
  'statement': 'Follow the law, codes of conduct and ethical principles, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-E2',
  'area': 'Professional standards',
  'statement': 'Keep your competence up to date through CPD and reflection, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CSci',
  'code': 'SC-E3',
  'area': 'Professional standards',
  'statement': 'Uphold the reputation and standards of your profession, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-A1',
  'area': 'Knowledge and understanding',
  'statement': 'Use general and specialist engineering knowledge to do your work, following established '
               'practice, with guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-A2',
  'area': 'Knowledge and understanding',
  'statement': 'Keep that knowledge up to date and apply new technology, following established practice, '
               'with guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-B1',
  'area': 'Design, development and solving problems',
  'statement': 'Find, review and choose techniques and approaches for engineering tasks, following '
               'established practice, with guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-B2',
  'area': 'Design, development and solving problems',
  'statement': 'Design or improve engineering solutions, products or systems, following established '
               'practice, with guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-B3',
  'area': 'Design, development and solving problems',
  'statement': 'Put solutions into practice and check that they work, following established practice, with '
               'guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-C1',
  'area': 'Responsibility, management and leadership',
  'statement': 'Plan your work and the work of others, following established practice, with guidance where '
               'needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-C2',
  'area': 'Responsibility, management and leadership',
  'statement': 'Manage resources, budgets and time, following established practice, with guidance where '
               'needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-C3',
  'area': 'Responsibility, management and leadership',
  'statement': 'Lead or support teams and develop people, following established practice, with guidance '
               'where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-C4',
  'area': 'Responsibility, management and leadership',
  'statement': 'Take part in quality assurance and continuous improvement, following established practice, '
               'with guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-D1',
  'area': 'Communication and working with others',
  'statement': 'Communicate clearly in writing and in person, following established practice, with guidance '
               'where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-D2',
  'area': 'Communication and working with others',
  'statement': 'Work well with colleagues, clients and the public, following established practice, with '
               'guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-D3',
  'area': 'Communication and working with others',
  'statement': 'Handle differences of view and reach agreement, following established practice, with '
               'guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-E1',
  'area': 'Professional commitment',
  'statement': 'Work within the law, codes and safe systems of work, following established practice, with '
               'guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-E2',
  'area': 'Professional commitment',
  'statement': 'Manage risk, including health, safety and environmental risk, following established '
               'practice, with guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-E3',
  'area': 'Professional commitment',
  'statement': 'Work sustainably and consider the impact of your work, following established practice, with '
               'guidance where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-E4',
  'area': 'Professional commitment',
  'statement': 'Keep up your competence through planned CPD, following established practice, with guidance '
               'where needed.'},
 {'title': 'EngTech',
  'code': 'UKSPEC-E5',
  'area': 'Professional commitment',
  'statement': 'Act ethically and uphold the standards of the profession, following established practice, '
               'with guidance where needed.'},
 {'title': 'IEng',
  'code': 'UKSPEC-A1',
  'area': 'Knowledge and understanding',
  'statement': 'Use general and specialist engineering knowledge to do your work, independently, choosing '
               'and adapting the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-A2',
  'area': 'Knowledge and understanding',
  'statement': 'Keep that knowledge up to date and apply new technology, independently, choosing and '
               'adapting the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-B1',
  'area': 'Design, development and solving problems',
  'statement': 'Find, review and choose techniques and approaches for engineering tasks, independently, '
               'choosing and adapting the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-B2',
  'area': 'Design, development and solving problems',
  'statement': 'Design or improve engineering solutions, products or systems, independently, choosing and '
               'adapting the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-B3',
  'area': 'Design, development and solving problems',
  'statement': 'Put solutions into practice and check that they work, independently, choosing and adapting '
               'the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-C1',
  'area': 'Responsibility, management and leadership',
  'statement': 'Plan your work and the work of others, independently, choosing and adapting the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-C2',
  'area': 'Responsibility, management and leadership',
  'statement': 'Manage resources, budgets and time, independently, choosing and adapting the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-C3',
  'area': 'Responsibility, management and leadership',
  'statement': 'Lead or support teams and develop people, independently, choosing and adapting the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-C4',
  'area': 'Responsibility, management and leadership',
  'statement': 'Take part in quality assurance and continuous improvement, independently, choosing and '
               'adapting the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-D1',
  'area': 'Communication and working with others',
  'statement': 'Communicate clearly in writing and in person, independently, choosing and adapting the '
               'methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-D2',
  'area': 'Communication and working with others',
  'statement': 'Work well with colleagues, clients and the public, independently, choosing and adapting the '
               'methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-D3',
  'area': 'Communication and working with others',
  'statement': 'Handle differences of view and reach agreement, independently, choosing and adapting the '
               'methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-E1',
  'area': 'Professional commitment',
  'statement': 'Work within the law, codes and safe systems of work, independently, choosing and adapting '
               'the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-E2',
  'area': 'Professional commitment',
  'statement': 'Manage risk, including health, safety and environmental risk, independently, choosing and '
               'adapting the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-E3',
  'area': 'Professional commitment',
  'statement': 'Work sustainably and consider the impact of your work, independently, choosing and adapting '
               'the methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-E4',
  'area': 'Professional commitment',
  'statement': 'Keep up your competence through planned CPD, independently, choosing and adapting the '
               'methods.'},
 {'title': 'IEng',
  'code': 'UKSPEC-E5',
  'area': 'Professional commitment',
  'statement': 'Act ethically and uphold the standards of the profession, independently, choosing and '
               'adapting the methods.'},
 {'title': 'CEng',
  'code': 'UKSPEC-A1',
  'area': 'Knowledge and understanding',
  'statement': 'Use general and specialist engineering knowledge to do your work, leading others, in complex '
               'and unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-A2',
  'area': 'Knowledge and understanding',
  'statement': 'Keep that knowledge up to date and apply new technology, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-B1',
  'area': 'Design, development and solving problems',
  'statement': 'Find, review and choose techniques and approaches for engineering tasks, leading others, in '
               'complex and unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-B2',
  'area': 'Design, development and solving problems',
  'statement': 'Design or improve engineering solutions, products or systems, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-B3',
  'area': 'Design, development and solving problems',
  'statement': 'Put solutions into practice and check that they work, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-C1',
  'area': 'Responsibility, management and leadership',
  'statement': 'Plan your work and the work of others, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-C2',
  'area': 'Responsibility, management and leadership',
  'statement': 'Manage resources, budgets and time, leading others, in complex and unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-C3',
  'area': 'Responsibility, management and leadership',
  'statement': 'Lead or support teams and develop people, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-C4',
  'area': 'Responsibility, management and leadership',
  'statement': 'Take part in quality assurance and continuous improvement, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-D1',
  'area': 'Communication and working with others',
  'statement': 'Communicate clearly in writing and in person, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-D2',
  'area': 'Communication and working with others',
  'statement': 'Work well with colleagues, clients and the public, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-D3',
  'area': 'Communication and working with others',
  'statement': 'Handle differences of view and reach agreement, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-E1',
  'area': 'Professional commitment',
  'statement': 'Work within the law, codes and safe systems of work, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-E2',
  'area': 'Professional commitment',
  'statement': 'Manage risk, including health, safety and environmental risk, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-E3',
  'area': 'Professional commitment',
  'statement': 'Work sustainably and consider the impact of your work, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-E4',
  'area': 'Professional commitment',
  'statement': 'Keep up your competence through planned CPD, leading others, in complex and unfamiliar '
               'situations.'},
 {'title': 'CEng',
  'code': 'UKSPEC-E5',
  'area': 'Professional commitment',
  'statement': 'Act ethically and uphold the standards of the profession, leading others, in complex and '
               'unfamiliar situations.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-A1',
  'area': 'Knowledge and understanding',
  'statement': 'Use general and specialist engineering knowledge to do your work, following established '
               'practice, with guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-A2',
  'area': 'Knowledge and understanding',
  'statement': 'Keep that knowledge up to date and apply new technology, following established practice, '
               'with guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-B1',
  'area': 'Design, development and solving problems',
  'statement': 'Find, review and choose techniques and approaches for engineering tasks, following '
               'established practice, with guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-B2',
  'area': 'Design, development and solving problems',
  'statement': 'Design or improve engineering solutions, products or systems, following established '
               'practice, with guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-B3',
  'area': 'Design, development and solving problems',
  'statement': 'Put solutions into practice and check that they work, following established practice, with '
               'guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-C1',
  'area': 'Responsibility, management and leadership',
  'statement': 'Plan your work and the work of others, following established practice, with guidance where '
               'needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-C2',
  'area': 'Responsibility, management and leadership',
  'statement': 'Manage resources, budgets and time, following established practice, with guidance where '
               'needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-C3',
  'area': 'Responsibility, management and leadership',
  'statement': 'Lead or support teams and develop people, following established practice, with guidance '
               'where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-C4',
  'area': 'Responsibility, management and leadership',
  'statement': 'Take part in quality assurance and continuous improvement, following established practice, '
               'with guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-D1',
  'area': 'Communication and working with others',
  'statement': 'Communicate clearly in writing and in person, following established practice, with guidance '
               'where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-D2',
  'area': 'Communication and working with others',
  'statement': 'Work well with colleagues, clients and the public, following established practice, with '
               'guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-D3',
  'area': 'Communication and working with others',
  'statement': 'Handle differences of view and reach agreement, following established practice, with '
               'guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-E1',
  'area': 'Professional commitment',
  'statement': 'Work within the law, codes and safe systems of work, following established practice, with '
               'guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-E2',
  'area': 'Professional commitment',
  'statement': 'Manage risk, including health, safety and environmental risk, following established '
               'practice, with guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-E3',
  'area': 'Professional commitment',
  'statement': 'Work sustainably and consider the impact of your work, following established practice, with '
               'guidance where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-E4',
  'area': 'Professional commitment',
  'statement': 'Keep up your competence through planned CPD, following established practice, with guidance '
               'where needed.'},
 {'title': 'ICTTech',
  'code': 'UKSPEC-E5',
  'area': 'Professional commitment',
  'statement': 'Act ethically and uphold the standards of the profession, following established practice, '
               'with guidance where needed.'}]


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('registration_titles',
    sa.Column('title', sa.String(length=32), nullable=False),
    sa.Column('register', sa.String(length=32), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('title', name=op.f('pk_registration_titles'))
    )
    op.create_table('title_competences',
    sa.Column('title', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('area', sa.String(length=100), nullable=False),
    sa.Column('statement', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['title'], ['registration_titles.title'], name=op.f('fk_title_competences_title_registration_titles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('title', 'code', name=op.f('pk_title_competences'))
    )
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('supporter_name', sa.String(length=200), nullable=False),
    sa.Column('supporter_email', sa.String(length=254), nullable=False),
    sa.Column('supporter_token_hash', sa.String(length=64), nullable=True),
    sa.Column('supporter_link_expires_at', cpd.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', cpd.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', cpd.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', cpd.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', cpd.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_applications_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['title'], ['registration_titles.title'], name=op.f('fk_applications_title_registration_titles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('supporter_token_hash', name=op.f('uq_applications_supporter_token_hash'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_decided_at'), ['decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('application_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('at', cpd.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['members.id'], name=op.f('fk_application_history_actor_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_history_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_history'))
    )
    with op.batch_alter_table('application_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_history_application_id'), ['application_id'], unique=False)

    op.create_table('application_statements',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_statements_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('application_id', 'code', name=op.f('pk_application_statements'))
    )
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=True),
    sa.Column('appointed_at', cpd.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('competences', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('recommendation', sa.String(length=16), nullable=True),
    sa.Column('assessed_at', cpd.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_assessments_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assessor_id'], ['members.id'], name=op.f('fk_assessments_assessor_id_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('application_id', 'assessor_id', name=op.f('uq_assessments_application_id'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_assessor_id'), ['assessor_id'], unique=False)

    op.create_table('objective_competences',
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['objectives.id'], name=op.f('fk_objective_competences_objective_id_objectives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('objective_id', 'code', name=op.f('pk_objective_competences'))
    )
    with op.batch_alter_table('objective_competences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_competences_code'), ['code'], unique=False)

    op.create_table('application_evidence',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_evidence_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['cpd_records.id'], name=op.f('fk_application_evidence_record_id_cpd_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('application_id', 'record_id', name=op.f('pk_application_evidence'))
    )
    titles = sa.table("registration_titles", sa.column("title"), sa.column("register"), sa.column("level"),
                      sa.column("name"))
    competences = sa.table("title_competences", sa.column("title"), sa.column("code"), sa.column("area"),
                           sa.column("statement"))
    op.bulk_insert(titles, TITLE_ROWS)
    op.bulk_insert(competences, COMPETENCE_ROWS)
    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_table('application_evidence')
    with op.batch_alter_table('objective_competences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_competences_code'))

    op.drop_table('objective_competences')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_assessor_id'))

    op.drop_table('assessments')
    op.drop_table('application_statements')
    with op.batch_alter_table('application_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_history_application_id'))

    op.drop_table('application_history')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_applications_status'))
        batch_op.drop_index(batch_op.f('ix_applications_member_id'))
        batch_op.drop_index(batch_op.f('ix_applications_decided_at'))

    op.drop_table('applications')
    op.drop_table('title_competences')
    op.drop_table('registration_titles')
    # ### end Alembic commands ###
