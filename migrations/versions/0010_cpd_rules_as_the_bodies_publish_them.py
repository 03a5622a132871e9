"""CPD rules as the bodies publish them

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 14:07:14.356677

"""
from alembic import op
import sqlalchemy as sa

import cpd.core.models

JSON_COLUMNS = {"weights", "type_minimums", "type_maximums", "topic_minimums", "topic_windows"}


def _set_policies(editions, columns):
    """Bring the shipped rows to an edition; members' chosen policies (codes) stay as they are."""
    table = sa.table("cpd_policies", *[sa.column(name, sa.JSON() if name in JSON_COLUMNS else None)
                                       for name in ("code", *columns)])
    for policy in editions:
        op.execute(table.update().where(table.c.code == policy["code"])
                   .values({name: policy[name] for name in columns}))


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


# Written out here, as they were when this revision was made: a revision never imports the app's code.
FIRST_EDITION = [{'code': 'science_council',
  'name': 'Science Council (RSciTech, RSci, CSci)',
  'description': 'No set number of hours: a mix of at least three types of activity over the last 12 months, '
                 'each with a reflection on what was learned and how it benefits your practice and the users '
                 'of your work.',
  'period_kind': 'rolling_months',
  'period_months': 12,
  'unit': 'hours',
  'weights': {},
  'required_total': None,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': 3,
  'reflection_required': True},
 {'code': 'iet',
  'name': 'IET (Engineering Council registrants)',
  'description': '30 hours of CPD in each calendar year.',
  'period_kind': 'calendar_year',
  'period_months': None,
  'unit': 'hours',
  'weights': {},
  'required_total': 30,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': None,
  'reflection_required': False},
 {'code': 'rics',
  'name': 'RICS',
  'description': '20 hours of CPD in each calendar year, at least 10 of them formal learning.',
  'period_kind': 'calendar_year',
  'period_months': None,
  'unit': 'hours',
  'weights': {},
  'required_total': 20,
  'type_minimums': {'formal_educational': 10},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': None,
  'reflection_required': False},
 {'code': 'engineers_ireland',
  'name': 'Engineers Ireland',
  'description': '35 hours of CPD in each calendar year.',
  'period_kind': 'calendar_year',
  'period_months': None,
  'unit': 'hours',
  'weights': {},
  'required_total': 35,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': None,
  'reflection_required': False},
 {'code': 'engineers_australia',
  'name': 'Engineers Australia',
  'description': '150 hours over any rolling three years; at most 50 of them self-directed study.',
  'period_kind': 'rolling_months',
  'period_months': 36,
  'unit': 'hours',
  'weights': {},
  'required_total': 150,
  'type_minimums': {},
  'type_maximums': {'self_directed': 50},
  'verified_minimum': None,
  'distinct_types_minimum': None,
  'reflection_required': False},
 {'code': 'acca',
  'name': 'ACCA',
  'description': '40 hours of CPD in each calendar year, at least 21 of them verifiable.',
  'period_kind': 'calendar_year',
  'period_months': None,
  'unit': 'hours',
  'weights': {},
  'required_total': 40,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': 21,
  'distinct_types_minimum': None,
  'reflection_required': False}]
NEW_RULES = ('reflection',
 'formal_minimum',
 'verifiable_minimum',
 'topic_minimums',
 'topic_windows',
 'record_by',
 'advisory')
SHIPPED_POLICIES = [{'code': 'science_council',
  'name': 'Science Council (RSciTech, RSci, CSci)',
  'description': 'Science Council CPD Standards for registrants (RSciTech, RSci, CSci): no set hours; a mix '
                 'of at least three (exceptionally, with agreement, two) of the five types of activity in '
                 'the last 12 months (standard 2), each reflected on for what was learned and its benefit '
                 'both to your practice (standard 3) and to the users of your work (standard 4).',
  'period_kind': 'rolling_months',
  'period_months': 12,
  'unit': 'hours',
  'weights': {},
  'required_total': None,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': 3,
  'reflection_required': True,
  'reflection': 'learning_and_both_benefits',
  'formal_minimum': None,
  'verifiable_minimum': None,
  'topic_minimums': {},
  'topic_windows': {},
  'record_by': None,
  'advisory': False},
 {'code': 'iet',
  'name': 'IET (Engineering Council registrants)',
  'description': 'IET Policy on CPD: members should aim for at least 30 hours of CPD a calendar year. It is '
                 'guidance, not a rule: the summary says whether you are on track.',
  'period_kind': 'calendar_year',
  'period_months': None,
  'unit': 'hours',
  'weights': {},
  'required_total': 30,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': None,
  'reflection_required': False,
  'reflection': 'learning_and_a_benefit',
  'formal_minimum': None,
  'verifiable_minimum': None,
  'topic_minimums': {},
  'topic_windows': {},
  'record_by': None,
  'advisory': True},
 {'code': 'rics',
  'name': 'RICS',
  'description': 'RICS CPD requirements: at least 20 hours each calendar year, at least 10 of them formal '
                 '(structured learning with outcomes), recorded by 31 January of the next year; and learning '
                 'on RICS professional and ethical standards within every rolling three years.',
  'period_kind': 'calendar_year',
  'period_months': None,
  'unit': 'hours',
  'weights': {},
  'required_total': 20,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': None,
  'reflection_required': False,
  'reflection': 'learning_and_a_benefit',
  'formal_minimum': 10,
  'verifiable_minimum': None,
  'topic_minimums': {'ethics': 1},
  'topic_windows': {'ethics': 36},
  'record_by': 31,
  'advisory': False},
 {'code': 'engineers_ireland',
  'name': 'Engineers Ireland',
  'description': 'Engineers Ireland CPD Policy: at least 35 hours of CPD in each calendar year (1 January to '
                 '31 December).',
  'period_kind': 'calendar_year',
  'period_months': None,
  'unit': 'hours',
  'weights': {},
  'required_total': 35,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': None,
  'reflection_required': False,
  'reflection': 'learning_and_a_benefit',
  'formal_minimum': None,
  'verifiable_minimum': None,
  'topic_minimums': {},
  'topic_windows': {},
  'record_by': None,
  'advisory': False},
 {'code': 'engineers_australia',
  'name': 'Engineers Australia',
  'description': 'Engineers Australia CPD Policy (Chartered and NER): at least 150 hours over three years, '
                 'of which at least 50 in your area of practice, 10 in risk management and 15 in business '
                 'and management skills.',
  'period_kind': 'rolling_months',
  'period_months': 36,
  'unit': 'hours',
  'weights': {},
  'required_total': 150,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': None,
  'reflection_required': False,
  'reflection': 'learning_and_a_benefit',
  'formal_minimum': None,
  'verifiable_minimum': None,
  'topic_minimums': {'area_of_practice': 50, 'risk_management': 10, 'business_management': 15},
  'topic_windows': {},
  'record_by': None,
  'advisory': False},
 {'code': 'acca',
  'name': 'ACCA',
  'description': 'ACCA unit route: 40 relevant units (hours) of CPD each calendar year, of which at least 21 '
                 'verifiable: relevant, applied at work, and with evidence that you did it.',
  'period_kind': 'calendar_year',
  'period_months': None,
  'unit': 'hours',
  'weights': {},
  'required_total': 40,
  'type_minimums': {},
  'type_maximums': {},
  'verified_minimum': None,
  'distinct_types_minimum': None,
  'reflection_required': False,
  'reflection': 'learning_and_a_benefit',
  'formal_minimum': None,
  'verifiable_minimum': 21,
  'topic_minimums': {},
  'topic_windows': {},
  'record_by': None,
  'advisory': False}]


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('cpd_exemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reduction', sa.Numeric(precision=4, scale=3), nullable=False),
    sa.Column('distinct_types_minimum', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', cpd.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_cpd_exemptions_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['members.id'], name=op.f('fk_cpd_exemptions_created_by_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_cpd_exemptions_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cpd_exemptions'))
    )
    with op.batch_alter_table('cpd_exemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpd_exemptions_member_id'), ['member_id'], unique=False)

    op.create_table('cpd_record_competences',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['cpd_records.id'], name=op.f('fk_cpd_record_competences_record_id_cpd_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'code', name=op.f('pk_cpd_record_competences'))
    )
    with op.batch_alter_table('cpd_record_competences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpd_record_competences_code'), ['code'], unique=False)

    op.create_table('cpd_record_topics',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['cpd_records.id'], name=op.f('fk_cpd_record_topics_record_id_cpd_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'topic', name=op.f('pk_cpd_record_topics'))
    )
    with op.batch_alter_table('cpd_record_topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cpd_record_topics_topic'), ['topic'], unique=False)

    with op.batch_alter_table('cpd_policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reflection', sa.String(length=32), server_default='learning_and_a_benefit', nullable=False))
        batch_op.add_column(sa.Column('formal_minimum', sa.Numeric(precision=8, scale=2), nullable=True))
        batch_op.add_column(sa.Column('verifiable_minimum', sa.Numeric(precision=8, scale=2), nullable=True))
        batch_op.add_column(sa.Column('topic_minimums', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('topic_windows', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('record_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('advisory', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('cpd_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('formal', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('verifiable', sa.Boolean(), server_default=sa.false(), nullable=False))

    # ### end Alembic commands ###
    _set_policies(SHIPPED_POLICIES, [name for name in SHIPPED_POLICIES[0] if name != "code"])


def downgrade():
    _set_policies(FIRST_EDITION, [name for name in FIRST_EDITION[0] if name != "code" and name not in NEW_RULES])
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('cpd_records', schema=None) as batch_op:
        batch_op.drop_column('verifiable')
        batch_op.drop_column('formal')

    with op.batch_alter_table('cpd_policies', schema=None) as batch_op:
        batch_op.drop_column('advisory')
        batch_op.drop_column('record_by')
        batch_op.drop_column('topic_windows')
        batch_op.drop_column('topic_minimums')
        batch_op.drop_column('verifiable_minimum')
        batch_op.drop_column('formal_minimum')
        batch_op.drop_column('reflection')

    with op.batch_alter_table('cpd_record_topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cpd_record_topics_topic'))

    op.drop_table('cpd_record_topics')
    with op.batch_alter_table('cpd_record_competences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cpd_record_competences_code'))

    op.drop_table('cpd_record_competences')
    with op.batch_alter_table('cpd_exemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cpd_exemptions_member_id'))

    op.drop_table('cpd_exemptions')
    # ### end Alembic commands ###
