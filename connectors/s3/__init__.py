"""Object storage: S3-compatible buckets, their contents and their posture.

``S3Connector`` (connector id ``s3``) scans ``s3://bucket[/prefix]`` and ``s3://`` (every
bucket the credentials see) through boto3's standard configuration plus ``--endpoint-url``,
so one code path reaches AWS (China regions included), Aliyun OSS, Tencent COS, Huawei OBS,
MinIO and Ceph. Objects are read by the files connector's blob handlers; bucket posture
(region and jurisdiction, encryption, public access, versioning, object lock, lifecycle,
logging, replication, tags) becomes ``bucket`` facts for the rules.
"""

from pia.connectors.s3.connector import S3Connector

__all__ = ["S3Connector"]
